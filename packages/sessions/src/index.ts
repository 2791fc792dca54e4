/**
 * Browser sessions for Pinion's web routes: express-session over the Postgres `sessions` table
 * (cookie `pinion.sid`), a private passport instance that keeps the user id in the session,
 * `identify` (sets `req.user`, never answers), `requireSession`, the password KDF, CSRF synchronizer tokens
 * (`X-CSRF-Token`, 403 `CSRF_FAILED`) and sign-in/out helpers that regenerate the session id.
 *
 * @example
 * ```ts
 * const sessions = createSessions({ database, logger }, { secrets, maxAgeMs })
 * deps.startables.push(sessions.store)
 * router.post('/upload/web/', ...sessions.identify, sessions.requireSession, sessions.requireCsrf, handler)
 * ```
 */
export {
  loadSessionSecrets,
  refineSessionConfig,
  sessionSchema,
  type SessionConfig,
} from './config.js'
export { hashPassword, verifyPassword } from './passwords.js'
export { csrfHeader, csrfToken, requireCsrf } from './csrf.js'
export { PrismaSessionStore } from './prisma-store.js'
export { sessionUser, type SessionUser } from './session-user.js'
export { createSessions, sessionCookieName, type Sessions, type SessionsInit } from './sessions.js'
