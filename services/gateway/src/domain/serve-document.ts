import { dagIndexEtag, renderDagPreview } from './dag-preview.js'
import type { Entity } from './entity.js'
import { conditional, disposition, generatedCache, mediaTypeOf } from './headers.js'
import type { ServeContext } from './request.js'
import { bytesBody, type GatewayResponse } from './response.js'
import { serveBytes } from './serve-bytes.js'

/** How a codec block is labelled: the four codec media types of the spec. */
export type DocumentFormat = 'dag-json' | 'dag-cbor' | 'json' | 'cbor'

/**
 * A codec block exactly as stored (no conversion, IPIP-0524) under the media type asked for:
 * JSON kinds inline as `<cid>.json`, CBOR kinds as attachment `<cid>.cbor`, ranges supported.
 */
export function serveDocument(
  context: ServeContext,
  document: Entity,
  as: DocumentFormat,
): Promise<GatewayResponse> {
  const jsonish = as === 'dag-json' || as === 'json'
  return serveBytes(context, document.bytes, {
    etag: `"${document.cid}.${as}"`,
    contentType: mediaTypeOf(as),
    disposition: disposition(
      context.params,
      jsonish ? 'inline' : 'attachment',
      `${document.cid}.${jsonish ? 'json' : 'cbor'}`,
    ),
  })
}

/** The HTML preview of a dag-json/dag-cbor document (generated: DagIndex ETag, a week's cache). */
export function serveDagPreview(context: ServeContext, document: Entity): Promise<GatewayResponse> {
  const etag = dagIndexEtag(document.cid)
  return conditional(context, [etag], generatedCache(context.init), async (headers) => {
    const html = renderDagPreview(context.request.prefix, document)
    return {
      status: 200,
      headers: {
        ...headers,
        ETag: etag,
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': String(html.length),
      },
      body: context.request.method === 'HEAD' ? undefined : bytesBody(html),
    }
  })
}
