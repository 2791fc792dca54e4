import { randomBytes, timingSafeEqual } from 'node:crypto'
import { sendFailure } from '@pinion/service-kit'
import type { Request, RequestHandler } from 'express'

/** The header browsers send the token in (the contract with the web app). */
export const csrfHeader = 'x-csrf-token'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * The session's CSRF token (synchronizer token pattern), created on first use. It lives in the
 * session, so it changes whenever the session id is regenerated (sign-in, sign-out).
 */
export function csrfToken(req: Request): string {
  const session = req.session
  session.csrfToken ??= randomBytes(24).toString('base64url')
  return session.csrfToken
}

function matches(expected: string, given: string): boolean {
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Refuses a state-changing request (anything but GET/HEAD/OPTIONS) whose `X-CSRF-Token` header is
 * missing or differs from the session's token: 403 `CSRF_FAILED`, before any handler runs.
 * Must come after the session middleware.
 */
export const requireCsrf: RequestHandler = (req, res, next) => {
  if (safeMethods.has(req.method)) return next()
  const expected = (req.session as Partial<typeof req.session> | undefined)?.csrfToken
  const given = req.get(csrfHeader)
  if (expected === undefined || given === undefined || !matches(expected, given))
    return sendFailure(res, 'CSRF_FAILED', `Send the session's CSRF token in X-CSRF-Token`)
  next()
}
