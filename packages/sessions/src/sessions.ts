import { randomBytes } from 'node:crypto'
import { findUserById, type Database } from '@pinion/db'
import { sendFailure, type Logger } from '@pinion/service-kit'
import type { Request, RequestHandler } from 'express'
import session from 'express-session'
import { Passport } from 'passport'
import { csrfToken, requireCsrf } from './csrf.js'
import { PrismaSessionStore } from './prisma-store.js'
import { sessionUser, type SessionUser } from './session-user.js'

/** Name of the session cookie (the contract with the web app). */
export const sessionCookieName = 'pinion.sid'

/** Browser sessions as every service that serves the web app uses them. */
export interface Sessions {
  /** The store; add it to the service's startables (it prunes expired rows). */
  readonly store: PrismaSessionStore
  /**
   * Sets `req.user = {id, email, displayName, role}` when the request carries a valid session
   * cookie of an enabled user, and `req.session`; never answers the request itself (except
   * passing a database error on). What the gateway's `sessionAuth` option expects.
   */
  readonly identify: readonly RequestHandler[]
  /** 401 UNAUTHORIZED unless `identify` found a user. */
  readonly requireSession: RequestHandler
  /** 403 CSRF_FAILED for a state-changing request without the session's `X-CSRF-Token`. */
  readonly requireCsrf: RequestHandler
  /** The session's CSRF token (created on first use). */
  csrfToken(req: Request): string
  /**
   * Signs `userId` in: a new session id (the old one is destroyed, so a planted id is useless),
   * a new CSRF token.
   */
  signIn(req: Request, userId: string): Promise<SessionUser>
  /** Signs out: the session is replaced by an empty one (new id, new CSRF token). */
  signOut(req: Request): Promise<void>
  /** Deletes every session of the signed-in user, then signs this request out. */
  signOutEverywhere(req: Request): Promise<number>
}

/** Options of {@link createSessions}. */
export interface SessionsInit {
  /**
   * Sign the cookie: the first signs, every one verifies (rotation); a random one when undefined
   * (one process only, lost at restart).
   */
  secrets: readonly string[] | undefined
  maxAgeMs: number
}

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string
  }
}

function toSessionUser(user: {
  id: string
  email: string
  displayName: string
  role: 'user' | 'admin'
}): SessionUser {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role }
}

/**
 * Builds the session machinery over the `sessions` table: express-session (cookie `pinion.sid`,
 * HttpOnly, SameSite=Lax, Secure when the request came over HTTPS as `trust proxy` sees it),
 * a private passport instance that stores the user id and loads the user on each request (a
 * disabled user is signed out), CSRF tokens, and sign-in/out helpers that regenerate the id.
 */
export function createSessions(
  components: { database: Database; logger: Logger },
  init: SessionsInit,
): Sessions {
  const prisma = components.database.prisma
  const store = new PrismaSessionStore(prisma, { maxAgeMs: init.maxAgeMs })
  let secrets = init.secrets === undefined ? undefined : [...init.secrets]
  if (secrets === undefined || secrets.length === 0) {
    components.logger.warn(
      'SESSION_SECRET is not set: using a random one, so sessions end when this process stops ' +
        'and other processes cannot read them',
    )
    secrets = [randomBytes(32).toString('base64url')]
  }
  const passport = new Passport()
  passport.serializeUser<string>((user, done) => done(null, (user as SessionUser).id))
  passport.deserializeUser<string>((id, done) => {
    findUserById(prisma, id)
      .then((user) => done(null, user && user.disabledAt === null ? toSessionUser(user) : false))
      .catch((error: unknown) => done(error))
  })

  const initialize = passport.initialize()
  // Another passport instance (a sign-in strategy's) may have claimed req.login since identify
  // ran; point the request back at this instance's session manager before logging in or out.
  const bind = (req: Request) => initialize(req, undefined as never, () => undefined)

  const identify: RequestHandler[] = [
    session({
      name: sessionCookieName,
      secret: secrets,
      store,
      resave: false,
      saveUninitialized: false,
      // Extend on use: an active user stays signed in; an idle session expires after maxAge.
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: 'auto',
        path: '/',
        maxAge: init.maxAgeMs,
      },
    }),
    initialize,
    passport.session(),
  ]

  const requireSession: RequestHandler = (req, res, next) => {
    if (sessionUser(req) === undefined)
      return sendFailure(res, 'UNAUTHORIZED', 'Sign in to the dashboard first')
    next()
  }

  async function signIn(req: Request, userId: string): Promise<SessionUser> {
    const user = await findUserById(prisma, userId)
    if (!user || user.disabledAt !== null)
      throw new Error('cannot sign in a missing or disabled user')
    const signedIn = toSessionUser(user)
    // passport ≥ 0.6 regenerates the session on login (fixation), dropping the old CSRF token.
    bind(req)
    await new Promise<void>((resolve, reject) => {
      req.login(signedIn, (error) => (error ? reject(error as Error) : resolve()))
    })
    csrfToken(req)
    return signedIn
  }

  async function signOut(req: Request): Promise<void> {
    bind(req)
    await new Promise<void>((resolve, reject) => {
      req.logout((error) => (error ? reject(error as Error) : resolve()))
    })
    csrfToken(req)
  }

  async function signOutEverywhere(req: Request): Promise<number> {
    const user = sessionUser(req)
    const count = user === undefined ? 0 : await store.destroyAllOf(user.id)
    await signOut(req)
    return count
  }

  return {
    store,
    identify,
    requireSession,
    requireCsrf,
    csrfToken,
    signIn,
    signOut,
    signOutEverywhere,
  }
}
