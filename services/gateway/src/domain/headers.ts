import { contentDisposition } from './content-disposition.js'
import { contentPathText, type ContentPath } from './content-path.js'
import { ifNoneMatchHits } from './etag.js'
import { formatMediaTypes, type FormatRequest } from './formats.js'
import type { GatewayRequest, GatewayInit, ServeContext } from './request.js'
import type { ResolvedPath } from './resolve-path.js'
import type { GatewayResponse } from './response.js'

/** Cache-Control of immutable `/ipfs/` responses (spec: a year, immutable). */
export function immutableCache(init: GatewayInit): string {
  return `${init.cacheVisibility}, max-age=29030400, immutable`
}

/** Cache-Control of generated HTML: it may change with the template, so a week, revalidated. */
export function generatedCache(init: GatewayInit): string {
  return `${init.cacheVisibility}, max-age=604800, stale-while-revalidate=2678400`
}

/**
 * The headers every successful response carries: `X-Ipfs-Path` (the content path, not the route),
 * `X-Ipfs-Roots`, `Vary: Accept` (the representation depends on it), `nosniff` (the Content-Type
 * is always explicit) and, when the format came from `Accept`, a `Content-Location` naming it.
 */
export function commonHeaders(
  request: GatewayRequest,
  path: ContentPath,
  resolved: ResolvedPath,
  formats: FormatRequest,
): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Ipfs-Path': contentPathText(path),
    'X-Ipfs-Roots': resolved.roots.map(String).join(','),
    Vary: 'Accept',
    'X-Content-Type-Options': 'nosniff',
  }
  if (formats.source === 'accept' && formats.format !== undefined) {
    const params = new URLSearchParams(request.query)
    params.set('format', formats.format)
    headers['Content-Location'] = `${request.prefix}/ipfs${request.path}?${params.toString()}`
  }
  return headers
}

/**
 * `Content-Disposition` for a response: `?filename=` wins over `fallback`; `?download=true` forces
 * `attachment`. Undefined when there is neither a name nor a reason to set one.
 */
export function disposition(
  params: URLSearchParams,
  kind: 'inline' | 'attachment',
  fallback: string | undefined,
): string | undefined {
  const name = params.get('filename') ?? fallback
  const download = params.get('download') === 'true'
  if (name === undefined || name === '') return download ? 'attachment' : undefined
  return contentDisposition(download ? 'attachment' : kind, name)
}

/**
 * Answers 304 when `If-None-Match` names one of `etags` (304 keeps the ETag and the same
 * Cache-Control as the 200, boxo's write304), otherwise builds the full response.
 */
export async function conditional(
  context: ServeContext,
  etags: readonly string[],
  cacheControl: string | undefined,
  build: (headers: Record<string, string>) => Promise<GatewayResponse>,
): Promise<GatewayResponse> {
  const headers = { ...context.headers, ...(cacheControl ? { 'Cache-Control': cacheControl } : {}) }
  if (ifNoneMatchHits(context.request.headers['if-none-match'], etags)) {
    return { status: 304, headers: { ...headers, ETag: etags[0] ?? '' } }
  }
  return build(headers)
}

/** The media type of an explicit format, for codec responses. */
export function mediaTypeOf(format: keyof typeof formatMediaTypes): string {
  return formatMediaTypes[format]
}
