import type { RequestHandler } from 'express'

/**
 * CORS as the path gateway spec (and conformance `TestCors`) has it: any origin may read, with
 * the headers a client needs exposed. `*` never allows credentials, so a page elsewhere cannot
 * read web-gateway content with the visitor's session cookie.
 */
const corsHeaders: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers':
    'Content-Type, Range, User-Agent, X-Requested-With, Authorization, If-None-Match, If-Range',
  'Access-Control-Expose-Headers':
    'Content-Range, Content-Length, Content-Location, ETag, X-Ipfs-Path, X-Ipfs-Roots, X-Chunked-Output, X-Stream-Output',
}

/** The same as names and values in turn, for `writeHead` (the hot path). */
export const corsHeaderList: readonly string[] = Object.entries(corsHeaders).flat()

/** The CORS middleware of both mounts. Preflights get 204 before auth (no credentials). */
export const gatewayCors: RequestHandler = (req, res, next) => {
  for (const [name, value] of Object.entries(corsHeaders)) res.setHeader(name, value)
  if (req.method === 'OPTIONS') {
    res.status(204).end()
    return
  }
  next()
}
