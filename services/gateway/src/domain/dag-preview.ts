import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import type { CID } from 'multiformats/cid'
import type { Entity } from './entity.js'
import { escapeHtml, pageEnd, pageStart, templateHash } from './html-page.js'

/** The ETag of a document's generated preview (conformance: `DagIndex-<hash>_CID-<cid>`). */
export function dagIndexEtag(cid: CID): string {
  return `"DagIndex-${templateHash}_CID-${cid}"`
}

function asDagJsonText(entity: Entity): string {
  try {
    const value: unknown =
      entity.cid.code === dagCbor.code ? dagCbor.decode(entity.bytes) : dagJson.decode(entity.bytes)
    const text = new TextDecoder().decode(dagJson.encode(value))
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return '(this document cannot be shown as DAG-JSON; download it instead)'
  }
}

/**
 * A human-readable HTML preview of a dag-json or dag-cbor document (`Accept: text/html`): the
 * document as indented DAG-JSON, escaped, with links to download it as-is.
 */
export function renderDagPreview(prefix: string, entity: Entity): Uint8Array {
  const base = `${prefix}/ipfs/${entity.cid}`
  const codec = entity.cid.code === dagCbor.code ? 'dag-cbor' : 'dag-json'
  const html =
    `${pageStart(`/ipfs/${entity.cid}`)}<h1>${codec} document ${entity.cid}</h1>` +
    `<nav><a href="${base}?format=${codec}&amp;download=true">Download ${codec}</a><a href="${base}?format=car">Download CAR</a></nav>` +
    `<pre>${escapeHtml(asDagJsonText(entity))}</pre>${pageEnd}`
  return new TextEncoder().encode(html)
}
