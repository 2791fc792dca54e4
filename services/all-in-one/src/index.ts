/**
 * Every Pinion service in one process behind one port: the local default and what end-to-end tests
 * drive. Each service is built from its own config schema on one shared platform.
 *
 * @example
 * ```ts
 * const config = parseAllInOneConfig(env)
 * const app = createApp(await buildDeps(config, logger))
 * ```
 */
export { loadConfig, parseAllInOneConfig, type Config } from './config.js'
export { buildDeps, type AllInOneDeps } from './deps.js'
export { createApp } from './app.js'
export { services, type MountableService } from './services.js'
