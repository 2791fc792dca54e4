/**
 * The IPFS Pinning Service API v1.0.0 at /pinning/api/v1 (Bearer tokens with the pinning scope).
 *
 * The package exports the pieces the all-in-one process composes; `src/main.ts` runs it alone.
 *
 * @example
 * ```ts
 * import { ConfigSchema, buildDepsWith, createRoutes } from '@pinion/pinning-api'
 * const deps = await buildDepsWith(parseConfig(ConfigSchema, env), context)
 * app.use(createRoutes(deps))
 * ```
 */
export { ConfigSchema, loadConfig, type Config } from './config.js'
export { buildDeps, buildDepsWith, type PinningApiDeps } from './deps.js'
export { createApp, createRoutes } from './app.js'
