import { getAuth } from '@pinion/auth'
import { createServiceApp } from '@pinion/service-kit'
import { Router, type Express } from 'express'
import type { GatewayDeps } from './deps.js'
import { ipfsRoutes } from './routes/ipfs.js'
import { requireSessionUser, sessionUserId, webIsolation } from './routes/web-session.js'

/** Route prefix of the token-authenticated gateway. */
export const apiPrefix = '/gateway/api/v1'
/** Route prefix of the session-authenticated (browser) gateway. */
export const webPrefix = '/gateway/web'

/**
 * The gateway's routes with their full prefixes, so the all-in-one process can mount them:
 * `/gateway/api/v1/ipfs/…` (Bearer token with the `gateway` scope) and `/gateway/web/ipfs/…`
 * (dashboard session, isolated from the dashboard's origin).
 */
export function createRoutes(deps: GatewayDeps): Router {
  const router = Router()
  // Signatures remembered for 30 s (revocation is still checked per request).
  const tokenAuth = deps.auth.requireToken('gateway', { cacheVerification: true })
  const routeDeps = {
    gateway: deps.gateway,
    meter: deps.meter,
    quota: deps.quota,
    logger: deps.logger,
  }
  router.use(
    ipfsRoutes(routeDeps, {
      prefix: apiPrefix,
      authenticate: [tokenAuth],
      userOf: (req) => getAuth(req).userId,
    }),
  )
  const session = deps.sessionAuth === undefined ? [] : [deps.sessionAuth].flat()
  router.use(
    ipfsRoutes(routeDeps, {
      prefix: webPrefix,
      authenticate: [webIsolation(deps.config.GATEWAY_WEB_ORIGIN), ...session, requireSessionUser],
      userOf: sessionUserId,
    }),
  )
  return router
}

/** The standalone gateway app: standard middleware, health, metrics, then its routes. */
export function createApp(deps: GatewayDeps): Express {
  return createServiceApp(deps, {
    trustProxyHops: deps.config.TRUST_PROXY_HOPS,
    mount: (app) => app.use(createRoutes(deps)),
  })
}
