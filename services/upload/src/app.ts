import { Router, type Express } from 'express'
import { createServiceApp } from '@pinion/service-kit'
import type { UploadDeps } from './deps.js'

/** upload's routes, without the standard middleware, so the all-in-one process can mount them. */
export function createRoutes(_deps: UploadDeps): Router {
  return Router()
}

/** The standalone upload app: standard middleware, health, metrics, then its routes. */
export function createApp(deps: UploadDeps): Express {
  return createServiceApp(deps, {
    trustProxyHops: deps.config.TRUST_PROXY_HOPS,
    mount: (app) => app.use(createRoutes(deps)),
  })
}
