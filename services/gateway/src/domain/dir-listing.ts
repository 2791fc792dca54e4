import { exporter } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import { exporterStorage, type BlockSource } from './block-source.js'
import { encodeSegments, type ContentPath } from './content-path.js'
import type { Entity } from './entity.js'
import { translateExporterError } from './exporter-errors.js'
import { escapeHtml, humanSize, pageEnd, pageStart, templateHash } from './html-page.js'

/** The ETag of a directory's generated listing (conformance: `DirIndex-<hash>_CID-<cid>`). */
export function dirIndexEtag(cid: CID): string {
  return `"DirIndex-${templateHash}_CID-${cid}"`
}

interface ListedEntry {
  name: string
  cid: CID
  size: bigint
}

async function* entriesOf(
  source: BlockSource,
  dir: Entity & { kind: 'directory' },
): AsyncGenerator<ListedEntry> {
  if (!dir.hamt) {
    for (const link of dir.node.Links)
      yield { name: link.Name ?? '', cid: link.Hash, size: BigInt(link.Tsize ?? 0) }
    return
  }
  // HAMT shards are read (they are the listing); entries themselves are not: sizes come from
  // the links' Tsize, so listing time does not grow with what the entries hold.
  try {
    const entry = await exporter(dir.cid, exporterStorage(source))
    if (entry.type !== 'directory') return
    for await (const child of entry.entries())
      yield { name: child.name, cid: child.cid, size: child.size }
  } catch (error) {
    throw translateExporterError(error)
  }
}

/** What a listing needs to build its links. */
export interface ListingInput {
  /** Route prefix before `/ipfs` (`/gateway/web`), so links stay on this gateway. */
  prefix: string
  path: ContentPath
  dir: Entity & { kind: 'directory' }
}

function breadcrumbs(prefix: string, path: ContentPath): string {
  const root = `${prefix}/ipfs/${path.cidText}`
  const steps = path.segments.map(
    (segment, index) =>
      `/<a href="${root}${encodeSegments(path.segments.slice(0, index + 1))}">${escapeHtml(segment)}</a>`,
  )
  return `/ipfs/<a href="${root}">${path.cidText}</a>${steps.join('')}`
}

/**
 * A directory listing as HTML, streamed in batches of rows: breadcrumbs, a `..` link on
 * subdirectories, then one row per entry with a link to its content path, its CID (with a
 * `?filename=` link) and its size from the link's Tsize. Every name is HTML-escaped and every
 * href percent-encoded.
 */
export async function* renderListing(
  source: BlockSource,
  input: ListingInput,
): AsyncGenerator<Uint8Array> {
  const { prefix, path } = input
  const encoder = new TextEncoder()
  const base = `${prefix}/ipfs/${path.cidText}${encodeSegments(path.segments)}`
  const title = `/ipfs/${path.cidText}${path.segments.map((s) => `/${s}`).join('')}/`
  let html = `${pageStart(title)}<h1>Index of ${breadcrumbs(prefix, path)}</h1>`
  html += `<nav><a href="${base}/?format=car">Download CAR</a><a href="${base}/?format=tar">Download TAR</a><a href="${prefix}/ipfs/${input.dir.cid}?format=raw">Raw block</a></nav><table>`
  if (path.segments.length > 0)
    html += `<tr><td class="name"><a href="${base}/..">..</a></td><td></td><td></td></tr>`
  let rows = 0
  for await (const entry of entriesOf(source, input.dir)) {
    const filename = encodeURIComponent(encodeURIComponent(entry.name))
    html += `<tr><td class="name"><a href="${base}/${encodeURIComponent(entry.name)}">${escapeHtml(entry.name)}</a></td><td><a class="ipfs-hash" translate="no" href="${prefix}/ipfs/${entry.cid}?filename=${filename}">${entry.cid}</a></td><td>${humanSize(entry.size)}</td></tr>`
    rows += 1
    if (rows % 256 === 0) {
      yield encoder.encode(html)
      html = ''
    }
  }
  yield encoder.encode(`${html}</table>${pageEnd}`)
}
