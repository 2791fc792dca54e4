import { type Express, type Router } from 'express'
import { createServiceApp } from '@pinion/service-kit'
import type { PinningApiDeps } from './deps.js'
import { createPinsRouter } from './routes/pins-router.js'

/** pinning-api's routes, without the standard middleware, so the all-in-one process can mount them. */
export function createRoutes(deps: PinningApiDeps): Router {
  return createPinsRouter({
    pins: deps.pins,
    auth: deps.auth,
    maxBodyBytes: deps.config.PINNING_MAX_BODY_BYTES,
  })
}

/** The standalone pinning-api app: standard middleware, health, metrics, then its routes. */
export function createApp(deps: PinningApiDeps): Express {
  return createServiceApp(deps, {
    trustProxyHops: deps.config.TRUST_PROXY_HOPS,
    mount: (app) => app.use(createRoutes(deps)),
  })
}
