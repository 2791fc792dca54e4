import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { sendFailure } from '@pinion/service-kit'
import express, { Router, type Response } from 'express'

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
 * `/pins` survive a reload. Mount it after every other route.
 */
export function webAppRouter(init: { webRoot?: string } = {}): Router {
  const webRoot = init.webRoot ?? defaultWebRoot
  const router = Router()
  router.use('/assets', express.static(`${webRoot}/assets`, { immutable: true, maxAge: '1y' }))
  router.get('/index.html', (_req, res) => sendIndex(res, webRoot))
  router.use(express.static(webRoot, { index: false, maxAge: '1h' }))
  router.get(/.*/, (req, res, next) => {
    if (SERVICE_PREFIXES.some((prefix) => req.path.startsWith(prefix))) return next()
    if (/\.[a-z0-9]+$/i.test(req.path)) return next()
    if (!existsSync(`${webRoot}/index.html`))
      return sendFailure(res, 'SERVICE_UNAVAILABLE', 'The web app is not built: run `pnpm build`')
    sendIndex(res, webRoot)
  })
  return router
}
