import { Router, type Express } from 'express'
import { createServiceApp } from '@pinion/service-kit'
import type { GatewayDeps } from './deps.js'

/** gateway's routes, without the standard middleware, so the all-in-one process can mount them. */
export function createRoutes(_deps: GatewayDeps): Router {
  return Router()
}

/** The standalone gateway app: standard middleware, health, metrics, then its routes. */
export function createApp(deps: GatewayDeps): Express {
  return createServiceApp(deps, {
    trustProxyHops: deps.config.TRUST_PROXY_HOPS,
    mount: (app) => app.use(createRoutes(deps)),
  })
}
