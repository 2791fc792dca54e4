import type { RequestHandler } from 'express'

/**
 * CORS for browser clients of the Pinning API (the JS client, Helia, web UIs). Tokens travel in
 * the Authorization header, never in cookies, so any origin may call: a page can only use a token
 * it already holds.
 */
export function pinningCors(): RequestHandler {
  return (req, res, next) => {
    res.setHeader('access-control-allow-origin', '*')
    if (req.method !== 'OPTIONS') return next()
    res.setHeader('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS')
    res.setHeader('access-control-allow-headers', 'authorization, content-type')
    res.setHeader('access-control-max-age', '600')
    res.status(204).end()
  }
}
