import type { RequestHandler } from 'express'

/**
 * CORS as the path gateway spec (and conformance `TestCors`) has it: any origin may read, with
 * the headers a client needs exposed. `*` never allows credentials, so a page elsewhere cannot
 * read web-gateway content with the visitor's session cookie. Preflights get 204 before auth
 * (they carry no credentials).
 */
export const gatewayCors: RequestHandler = (req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS')
  res.setHeader(
    'Access-Control-Allow-Headers',
    'Content-Type, Range, User-Agent, X-Requested-With, Authorization, If-None-Match, If-Range',
  )
  res.setHeader(
    'Access-Control-Expose-Headers',
    'Content-Range, Content-Length, Content-Location, ETag, X-Ipfs-Path, X-Ipfs-Roots, X-Chunked-Output, X-Stream-Output',
  )
  if (req.method === 'OPTIONS') {
    res.status(204).end()
    return
  }
  next()
}
