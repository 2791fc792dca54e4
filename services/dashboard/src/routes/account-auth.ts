import type { DbClient } from '@pinion/db'
import type { Sessions, SessionUser } from '@pinion/sessions'
import { sessionUser } from '@pinion/sessions'
import express, { Router, type Response } from 'express'
import { z } from 'zod'
import type { AttemptLimiter } from '../domain/attempt-limiter.js'
import { ThrottledError } from '../domain/errors.js'
import { signIn, signUp } from '../domain/local-accounts.js'

/** A sign-in button of the web app. */
export interface ProviderLink {
  id: string
  label: string
  url: string
}

export interface AccountAuthDeps {
  prisma: DbClient
  sessions: Sessions
  /** Failed sign-ins per e-mail + client address. */
  signInLimiter: AttemptLimiter
  /** Sign-ups per client address. */
  signUpLimiter: AttemptLimiter
  signUpOpen: boolean
  providers: readonly ProviderLink[]
}

const email = z.email().max(254)
const SignUpBody = z.object({
  email,
  password: z.string().min(8).max(1024),
  displayName: z.string().trim().min(1).max(255).optional(),
})
const SignInBody = z.object({ email, password: z.string().min(1).max(1024) })

const publicUser = (user: SessionUser) => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
  role: user.role,
})

/** `/session`, `/signup`, `/signin`, `/signout`, `/signout-everywhere` (under /api/account). */
export function accountAuthRouter(deps: AccountAuthDeps): Router {
  const { sessions } = deps
  const router = Router()
  router.get('/session', (req, res) => {
    const user = sessionUser(req)
    res.set('Cache-Control', 'no-store').json({
      user: user === undefined ? null : publicUser(user),
      csrfToken: sessions.csrfToken(req),
      signUpOpen: deps.signUpOpen,
      providers: deps.providers,
    })
  })
  router.post('/signup', express.json(), async (req, res) => {
    const body = SignUpBody.parse(req.body)
    const user = await throttled(res, () =>
      signUp(
        { prisma: deps.prisma, limiter: deps.signUpLimiter },
        { signUpOpen: deps.signUpOpen },
        { ...body, clientAddress: req.ip ?? 'unknown' },
      ),
    )
    res.status(201).json({ user: publicUser(await sessions.signIn(req, user.id)) })
  })
  router.post('/signin', express.json(), async (req, res) => {
    const body = SignInBody.parse(req.body)
    const user = await throttled(res, () =>
      signIn(
        { prisma: deps.prisma, limiter: deps.signInLimiter },
        { ...body, clientAddress: req.ip ?? 'unknown' },
      ),
    )
    res.json({ user: publicUser(await sessions.signIn(req, user.id)) })
  })
  router.post('/signout', async (req, res) => {
    await sessions.signOut(req)
    res.status(204).end()
  })
  router.post('/signout-everywhere', sessions.requireSession, async (req, res) => {
    await sessions.signOutEverywhere(req)
    res.status(204).end()
  })
  return router
}

/** Runs `attempt`; a throttled one answers with `Retry-After` (RFC 9110 §10.2.3) besides its 429. */
async function throttled<T>(res: Response, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt()
  } catch (error) {
    if (error instanceof ThrottledError) res.set('Retry-After', String(error.retryAfterSeconds))
    throw error
  }
}
