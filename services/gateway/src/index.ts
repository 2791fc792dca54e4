/**
 * The IPFS path + trustless HTTP gateway over the shared blockstore at /gateway/api/v1/ipfs/ and /gateway/web/ipfs/.
 *
 * The package exports the pieces the all-in-one process composes; `src/main.ts` runs it alone.
 *
 * @example
 * ```ts
 * import { ConfigSchema, buildDepsWith, createRoutes } from '@pinion/gateway'
 * const deps = await buildDepsWith(parseConfig(ConfigSchema, env), context)
 * app.use(createRoutes(deps))
 * ```
 */
export { ConfigSchema, loadConfig, type Config } from './config.js'
export { buildDeps, buildDepsWith, type GatewayDeps } from './deps.js'
export { createApp, createRoutes } from './app.js'
