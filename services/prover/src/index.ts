/**
 * Proofs of storage over pinned DAGs (sw-priv, sw-pub, ateniese, erway, bjo) at /prover/api/v1/ and /prover/prove.
 *
 * The package exports the pieces the all-in-one process composes; `src/main.ts` runs it alone.
 *
 * @example
 * ```ts
 * import { ConfigSchema, buildDepsWith, createRoutes } from '@pinion/prover'
 * const deps = await buildDepsWith(parseConfig(ConfigSchema, env), context)
 * app.use(createRoutes(deps))
 * ```
 */
export { ConfigSchema, loadConfig, type Config } from './config.js'
export { buildDeps, buildDepsWith, type ProverDeps } from './deps.js'
export { createApp, createRoutes } from './app.js'
