import type { RequestListener } from 'node:http'
import { getAuth } from '@pinion/auth'
import { createServiceApp, withFastRoutes, type FastRoute } from '@pinion/service-kit'
import { Router, type Express } from 'express'
import type { GatewayDeps } from './deps.js'
import { fastIpfsRoute } from './routes/fast-ipfs.js'
import { ipfsRoutes, type IpfsRouteDeps } from './routes/ipfs.js'
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
  const routeDeps = routeDepsOf(deps)
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

function routeDepsOf(deps: GatewayDeps): IpfsRouteDeps {
  return {
    gateway: deps.gateway,
    meter: deps.meter,
    quota: deps.quota,
    responses: deps.responses,
    logger: deps.logger,
  }
}

/**
 * The hot path to put in front of the Express app that mounts {@link createRoutes}: token reads
 * of `/gateway/api/v1/ipfs/…` answered on the raw request (see `routes/fast-ipfs.ts`); none when
 * `GATEWAY_FAST_PATH=false`.
 */
export function createFastRoutes(deps: GatewayDeps): FastRoute[] {
  if (!deps.config.GATEWAY_FAST_PATH) return []
  return [
    fastIpfsRoute(routeDepsOf(deps), {
      prefix: apiPrefix,
      authenticate: deps.auth.authenticator('gateway', { cacheVerification: true }),
      translators: deps.errorTranslators,
      logger: deps.logger,
    }),
  ]
}

/** The standalone gateway's Express app: standard middleware, health, metrics, its routes. */
export function createExpressApp(deps: GatewayDeps): Express {
  return createServiceApp(deps, {
    trustProxyHops: deps.config.TRUST_PROXY_HOPS,
    mount: (app) => app.use(createRoutes(deps)),
  })
}

/**
 * The standalone gateway: {@link createExpressApp} behind the hot path. A request listener rather
 * than an Express app (a deliberate departure from the house `createApp`): the hot path runs
 * before Express sees the request.
 */
export function createApp(deps: GatewayDeps): RequestListener {
  return withFastRoutes(deps, createExpressApp(deps), createFastRoutes(deps))
}
