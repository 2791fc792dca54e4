/**
 * The web app: sign-in, API tokens, pins, upload, GitHub events, prover keys, usage, and the account API at /api/account/.
 *
 * The package exports the pieces the all-in-one process composes; `src/main.ts` runs it alone.
 *
 * @example
 * ```ts
 * import { ConfigSchema, buildDepsWith, createRoutes } from '@pinion/dashboard'
 * const deps = await buildDepsWith(parseConfig(ConfigSchema, env), context)
 * app.use(createRoutes(deps))
 * ```
 */
export { ConfigSchema, loadConfig, type Config } from './config.js'
export { buildDeps, buildDepsWith, type DashboardDeps } from './deps.js'
export { createApp, createRoutes } from './app.js'
