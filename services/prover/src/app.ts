import { Router, type Express } from 'express'
import { createServiceApp } from '@pinion/service-kit'
import type { ProverDeps } from './deps.js'

/** prover's routes, without the standard middleware, so the all-in-one process can mount them. */
export function createRoutes(_deps: ProverDeps): Router {
  return Router()
}

/** The standalone prover app: standard middleware, health, metrics, then its routes. */
export function createApp(deps: ProverDeps): Express {
  return createServiceApp(deps, {
    trustProxyHops: deps.config.TRUST_PROXY_HOPS,
    mount: (app) => app.use(createRoutes(deps)),
  })
}
