/**
 * Takes pin requests from JetStream and makes the blockstore keep each DAG; no public HTTP besides
 * health and metrics. `buildDepsWith` registers the worker's Startables after the platform's
 * clients: the `worker-pin-requests` and `worker-pin-removals` consume loops and the sweeper (one
 * instance at a time, under a Postgres advisory lock). See README.md for the lifecycle.
 *
 * The package exports the pieces the all-in-one process composes; `src/main.ts` runs it alone.
 *
 * @example
 * ```ts
 * import { ConfigSchema, buildDepsWith, createRoutes } from '@pinion/worker'
 * const deps = await buildDepsWith(parseConfig(ConfigSchema, env), context)
 * app.use(createRoutes(deps))
 * ```
 */
export { ConfigSchema, loadConfig, type Config } from './config.js'
export { buildDeps, buildDepsWith, type WorkerDeps } from './deps.js'
export { createApp, createRoutes } from './app.js'
