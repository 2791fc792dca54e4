import { Router, type Express } from 'express'
import { createServiceApp } from '@pinion/service-kit'
import type { ProverDeps } from './deps.js'
import { keysRouter } from './routes/keys.js'
import { proveRouter } from './routes/prove.js'
import { registerRouter } from './routes/register.js'
import { sessionAsProverAuth } from './routes/web-session.js'
import { tagsRouter } from './routes/tags.js'

/**
 * prover's routes, without the standard middleware, so the all-in-one process can mount them:
 * `/prover/api/v1/…` (token with the `prover` scope), `/prover/web/v1/…` (dashboard session),
 * `/prover/prove` and `/prover/service-key` (public).
 */
export function createRoutes(deps: ProverDeps): Router {
  const prisma = deps.database.prisma
  const { signer, blockstore, config } = deps
  const api = Router()
  api.use(keysRouter({ prisma, tagging: deps.tagging, signer }))
  api.use(tagsRouter({ prisma, jobs: deps.jobs, signer }, { waitMs: config.PROVER_TAG_WAIT_MS }))
  api.use(registerRouter({ prisma, blockstore }, { maxBytes: config.PROVER_MAX_REGISTER_BYTES }))
  const router = Router()
  router.use(
    proveRouter(
      { prisma, blockstore, proving: deps.proving },
      {
        maxC: config.PROVER_MAX_CHALLENGE,
        ...deps.proveLimits,
        servicePublicKey: signer.publicKey,
      },
    ),
  )
  router.use('/prover/api/v1', deps.auth.requireToken('prover'), api)
  // The same API for the dashboard's web app: session cookie + CSRF token instead of a token.
  const { sessions } = deps
  router.use(
    '/prover/web/v1',
    ...sessions.identify,
    sessions.requireSession,
    sessions.requireCsrf,
    sessionAsProverAuth,
    api,
  )
  return router
}

/** The standalone prover app: standard middleware, health, metrics, then its routes. */
export function createApp(deps: ProverDeps): Express {
  return createServiceApp(deps, {
    trustProxyHops: deps.config.TRUST_PROXY_HOPS,
    mount: (app) => app.use(createRoutes(deps)),
  })
}
