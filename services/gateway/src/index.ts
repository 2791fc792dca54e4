/**
 * The IPFS path + trustless HTTP gateway over the shared blockstore, at `/gateway/api/v1/ipfs/`
 * (Bearer token with the `gateway` scope) and `/gateway/web/ipfs/` (dashboard session). It
 * serves only what the blockstore holds (404 otherwise, never a fetch), meters the bytes it
 * sends per user and enforces the monthly bandwidth quota.
 *
 * The package exports the pieces the all-in-one process composes; `src/main.ts` runs it alone.
 *
 * @example
 * ```ts
 * import { ConfigSchema, buildDepsWith, createRoutes } from '@pinion/gateway'
 * const deps = await buildDepsWith(parseConfig(ConfigSchema, env), context, { sessionAuth })
 * app.use(createRoutes(deps))
 * ```
 */
export { ConfigSchema, gatewaySchema, loadConfig, type Config } from './config.js'
export { buildDeps, buildDepsWith, type GatewayDeps, type GatewayDepsOptions } from './deps.js'
export {
  apiPrefix,
  createApp,
  createExpressApp,
  createFastRoutes,
  createRoutes,
  webPrefix,
} from './app.js'
export { sessionUserId, type SessionAuth } from './routes/web-session.js'
export { createGateway, type Gateway, type GatewayComponents } from './domain/gateway.js'
export type { GatewayInit, GatewayRequest } from './domain/request.js'
export type { GatewayResponse } from './domain/response.js'
