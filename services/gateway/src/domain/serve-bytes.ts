import { inMemoryContent, rangedRequestOf, rangedResponse } from './byte-response.js'
import { conditional, immutableCache } from './headers.js'
import type { ServeContext } from './request.js'
import type { GatewayResponse } from './response.js'

/** How a block held in memory is labelled. */
export interface BytesLabel {
  etag: string
  contentType: string
  /** `Content-Disposition`, when the response has one. */
  disposition: string | undefined
}

/**
 * An immutable response of bytes already in memory (a raw block, a codec document, a symlink's
 * target): 304 on a matching ETag, ranges otherwise.
 */
export function serveBytes(
  context: ServeContext,
  bytes: Uint8Array,
  label: BytesLabel,
): Promise<GatewayResponse> {
  return conditional(context, [label.etag], immutableCache(context.init), (headers) => {
    if (label.disposition !== undefined) headers['Content-Disposition'] = label.disposition
    return rangedResponse(
      rangedRequestOf(context.request),
      inMemoryContent(bytes, label.contentType),
      label.etag,
      headers,
    )
  })
}
