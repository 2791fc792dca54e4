import type { Request } from 'express'
import type { VerifiedToken } from './verified-token.js'

/** Who a request acts for: set on `req.auth` by `requireToken`. */
export type AuthContext = VerifiedToken

declare global {
  // Express's own extension point for Request properties added by middleware.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `requireToken` once the bearer token is verified, active and scoped. */
      auth?: AuthContext
    }
  }
}

/**
 * The request's {@link AuthContext}, for handlers behind `requireToken`.
 *
 * @throws Error when `requireToken` did not run for this route: a wiring bug, answered with 500.
 */
export function getAuth(req: Request): AuthContext {
  if (!req.auth) throw new Error('getAuth called on a route without requireToken')
  return req.auth
}
