import { rangedResponse } from './byte-response.js'
import { dagIndexEtag, renderDagPreview } from './dag-preview.js'
import type { Entity } from './entity.js'
import { conditional, disposition, generatedCache, immutableCache, mediaTypeOf } from './headers.js'
import type { ServeContext } from './request.js'
import { bytesBody, type GatewayResponse } from './response.js'

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
  const etag = `"${document.cid}.${as}"`
  const jsonish = as === 'dag-json' || as === 'json'
  return conditional(context, [etag], immutableCache(context.init), (headers) => {
    const value = disposition(
      context.params,
      jsonish ? 'inline' : 'attachment',
      `${document.cid}.${jsonish ? 'json' : 'cbor'}`,
    )
    if (value !== undefined) headers['Content-Disposition'] = value
    const { method, headers: requestHeaders } = context.request
    return rangedResponse(
      { method, range: requestHeaders.range, ifRange: requestHeaders['if-range'] },
      {
        size: document.bytes.length,
        read: (range) => bytesBody(document.bytes.subarray(range.start, range.end))(),
        contentType: mediaTypeOf(as),
      },
      etag,
      headers,
    )
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
