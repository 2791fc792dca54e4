import { sessionUser } from '@pinion/sessions'
import type { RequestHandler } from 'express'

/**
 * Lets the token-authenticated routes serve a signed-in browser: the session user acts with the
 * `prover` scope, as a token of theirs would. Runs after `requireSession`. There is no token row,
 * so `tokenId` names the session kind (nothing looks it up: revocation and "last used" are checks
 * of `requireToken`, which this path replaces).
 */
export const sessionAsProverAuth: RequestHandler = (req, _res, next) => {
  const user = sessionUser(req)
  if (user === undefined) throw new Error('sessionAsProverAuth without requireSession')
  req.auth = {
    kind: 'api-token',
    userId: user.id,
    tokenId: 'session',
    scopes: ['prover'],
    expiresAt: undefined,
  }
  next()
}
