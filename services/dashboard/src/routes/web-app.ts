import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sendFailure } from '@pinion/service-kit'
import express, { type RequestHandler, type Response } from 'express'

/** Where `vite build` puts the app: services/dashboard/web/dist, from src/routes or dist/routes. */
export const defaultWebRoot = fileURLToPath(new URL('../../web/dist', import.meta.url))

/**
 * Paths the other services own. The SPA fallback never answers them, so a wrong API URL is a
 * JSON 404 rather than the app's HTML.
 */
const SERVICE_PREFIXES = [
  '/api/',
  '/pinning/',
  '/upload/',
  '/gateway/',
  '/prover/',
  '/github/',
  '/healthz',
  '/readyz',
  '/metrics',
]

// The app's own policy: scripts and styles only from our origin (Vite emits no inline script),
// no framing. React sets style through the CSSOM, which style-src does not restrict.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

function sendIndex(res: Response, webRoot: string): void {
  // Never cached: a new deploy's index.html names the new hashed assets.
  res.setHeader('Cache-Control', 'no-cache')
  res.setHeader('Content-Security-Policy', CSP)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'same-origin')
  res.sendFile('index.html', { root: webRoot })
}

/**
 * Serves the built web app at `/`: hashed files under `/assets/` as immutable, any other GET of a
 * page path (no file extension, not a service prefix) as index.html so client-side routes such as
 * `/pins` survive a reload. One request handler rather than a router: it is the catch-all after
 * every service's routes, not a set of routes of its own. Mount it last.
 */
export function webApp(init: { webRoot?: string } = {}): RequestHandler {
  const webRoot = init.webRoot ?? defaultWebRoot
  const assets = join(webRoot, 'assets')
  const files = express.static(webRoot, {
    index: false,
    cacheControl: false,
    setHeaders(res, file) {
      res.setHeader(
        'Cache-Control',
        file.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
      )
    },
  })
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next()
    if (SERVICE_PREFIXES.some((prefix) => req.path.startsWith(prefix))) return next()
    const isPage = req.path === '/index.html' || !/\.[a-z0-9]+$/i.test(req.path)
    if (!isPage) return files(req, res, next)
    if (!existsSync(join(webRoot, 'index.html')))
      return sendFailure(res, 'SERVICE_UNAVAILABLE', 'The web app is not built: run `pnpm build`')
    sendIndex(res, webRoot)
  }
}
