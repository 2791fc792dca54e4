import { Router, type Express } from 'express'
import { createServiceApp } from '@pinion/service-kit'
import type { DashboardDeps } from './deps.js'
import { accountRouter } from './routes/account.js'
import { webApp } from './routes/web-app.js'

/** dashboard's routes, without the standard middleware, so the all-in-one process can mount them. */
export function createRoutes(deps: DashboardDeps): Router {
  const router = Router()
  router.use(accountRouter(deps))
  router.use(webApp())
  return router
}

/** The standalone dashboard app: standard middleware, health, metrics, then its routes. */
export function createApp(deps: DashboardDeps): Express {
  return createServiceApp(deps, {
    trustProxyHops: deps.config.TRUST_PROXY_HOPS,
    mount: (app) => app.use(createRoutes(deps)),
  })
}
