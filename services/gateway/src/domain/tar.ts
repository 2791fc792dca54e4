import { posix } from 'node:path'
import { exporter } from 'ipfs-unixfs-exporter'
import { pack, type TarImportCandidate } from 'it-tar'
import type { CID } from 'multiformats/cid'
import { exporterStorage, type BlockSource } from './block-source.js'
import { classifyBlock, type Entity } from './entity.js'
import { GatewayRequestError, NotAcceptableError } from './errors.js'
import { translateExporterError } from './exporter-errors.js'
import { fileBytes } from './file-reader.js'

/** Most entries a TAR response may hold; the tree is listed before the first byte is sent. */
export const maxTarEntries = 100_000

/** One entry of the archive, its name already checked to stay under the root. */
interface TarItem {
  name: string
  entity: Entity
}

/** Limits of a TAR walk. */
export interface TarOptions {
  maxDagDepth: number
  readAhead: number
}

async function childrenOf(source: BlockSource, dir: CID): Promise<{ name: string; cid: CID }[]> {
  try {
    const entry = await exporter(dir, exporterStorage(source))
    if (entry.type !== 'directory') return []
    const children: { name: string; cid: CID }[] = []
    for await (const child of entry.entries()) children.push({ name: child.name, cid: child.cid })
    return children
  } catch (error) {
    throw translateExporterError(error)
  }
}

/**
 * Lists the whole UnixFS tree under `root` (reading directories and each entry's root block,
 * not file contents) and checks every name: IPIP-0288 requires refusing archives whose entries
 * would land outside the root, and that must happen before a status line is sent.
 *
 * @throws NotAcceptableError (406) for non-UnixFS content; GatewayRequestError (400) for names
 *   that escape the root, NUL bytes, trees deeper than allowed or larger than
 *   {@link maxTarEntries}.
 */
export async function collectTarItems(
  source: BlockSource,
  root: Entity,
  options: TarOptions,
): Promise<TarItem[]> {
  if (root.kind === 'document' || root.kind === 'dag-pb')
    throw new NotAcceptableError('TAR is only for UnixFS files and directories; try ?format=car')
  const rootName = root.cid.toString()
  const items: TarItem[] = []
  const stack: { name: string; entity: Entity; depth: number }[] = [
    { name: rootName, entity: root, depth: 0 },
  ]
  while (stack.length > 0) {
    const { name, entity, depth } = stack.pop() as (typeof stack)[number]
    items.push({ name, entity })
    if (items.length > maxTarEntries)
      throw new GatewayRequestError(`More than ${maxTarEntries} entries: ask for ?format=car`)
    if (entity.kind !== 'directory') continue
    if (depth >= options.maxDagDepth)
      throw new GatewayRequestError(`Directory tree deeper than ${options.maxDagDepth}`)
    const children = await childrenOf(source, entity.cid)
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i] as { name: string; cid: CID }
      const childName = posix.join(name, child.name)
      // boxo's wording (with its typo) is what gateway-conformance looks for in the body.
      if (child.name.includes('\0') || !childName.startsWith(`${rootName}/`))
        throw new GatewayRequestError(
          `Entry "${child.name}" in ${entity.cid}: relative UnixFS paths outside the root are now allowed`,
        )
      stack.push({
        name: childName,
        entity: classifyBlock(child.cid, await source.get(child.cid)),
        depth: depth + 1,
      })
    }
  }
  return items
}

/** A deterministic mtime: the archive of a CID must not change with the clock. */
const epoch = new Date(0)

function tarEntry(source: BlockSource, item: TarItem, options: TarOptions): TarImportCandidate {
  const { entity } = item
  switch (entity.kind) {
    case 'directory':
      return { header: { name: item.name, type: 'directory', mtime: epoch } }
    case 'symlink':
      return {
        header: {
          name: item.name,
          type: 'symlink',
          linkname: new TextDecoder().decode(entity.target),
          mtime: epoch,
        },
      }
    case 'file':
      return {
        header: { name: item.name, type: 'file', size: entity.size, mtime: entity.mtime ?? epoch },
        body: fileBytes(
          source,
          entity,
          { start: 0, end: entity.size },
          {
            maxDepth: options.maxDagDepth,
            readAhead: options.readAhead,
          },
        ),
      }
    default:
      throw new NotAcceptableError(`${entity.cid} is not UnixFS`)
  }
}

/** The TAR stream of checked items: entries in tree order, file bodies read lazily. */
export function tarStream(
  source: BlockSource,
  items: readonly TarItem[],
  options: TarOptions,
): AsyncIterable<Uint8Array> {
  async function* entries(): AsyncGenerator<TarImportCandidate> {
    for (const item of items) yield tarEntry(source, item, options)
  }
  return pack()(entries())
}
