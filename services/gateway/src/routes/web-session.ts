import { sendFailure } from '@pinion/service-kit'
import type { Request, RequestHandler } from 'express'

/**
 * The contract between the dashboard (which owns sign-in and sessions) and the web gateway:
 * middleware that, for a request carrying a valid dashboard session cookie, sets
 * `req.user = { id: <users.id> }` (what passport's session support does after
 * `deserializeUser`) and calls `next()`; for any other request it calls `next()` without setting
 * it. It must not answer the request itself, and must not set `req.user` for a disabled user.
 */
export type SessionAuth = RequestHandler | readonly RequestHandler[]

/** The user id the session middleware set, if any. */
export function sessionUserId(req: Request): string | undefined {
  const user = (req as Request & { user?: unknown }).user
  if (typeof user !== 'object' || user === null) return undefined
  const id = (user as { id?: unknown }).id
  return typeof id === 'string' && id.length > 0 ? id : undefined
}

/** Answers 401 unless the session middleware found a signed-in user. */
export const requireSessionUser: RequestHandler = (req, res, next) => {
  if (sessionUserId(req) === undefined)
    return sendFailure(res, 'UNAUTHORIZED', 'Sign in to the dashboard to browse content')
  next()
}

/**
 * Keeps pinned content from scripting the dashboard (gateway.md §0.4b). Without a separate web
 * origin, every web response carries `Content-Security-Policy: sandbox`: the browser gives the
 * document an opaque origin, runs no script and submits no form, so it can read neither the
 * session cookie nor the API. With `GATEWAY_WEB_ORIGIN`, requests that arrive on any other origin
 * are redirected there, and content is served as is (its origin is not the dashboard's).
 */
export function webIsolation(webOrigin: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (webOrigin === undefined) {
      res.setHeader('Content-Security-Policy', 'sandbox')
      return next()
    }
    const origin = `${req.protocol}://${req.get('host') ?? ''}`
    if (origin === webOrigin) return next()
    res.redirect(307, `${webOrigin}${req.originalUrl}`)
  }
}
