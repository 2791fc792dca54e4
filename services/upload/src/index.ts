/**
 * Files (multipart, raw bytes) and CAR archives streamed into the blockstore, then pinned, at /upload/api/v1/ and /upload/web/.
 *
 * The package exports the pieces the all-in-one process composes; `src/main.ts` runs it alone.
 *
 * @example
 * ```ts
 * import { ConfigSchema, buildDepsWith, createRoutes } from '@pinion/upload'
 * const deps = await buildDepsWith(parseConfig(ConfigSchema, env), context)
 * app.use(createRoutes(deps))
 * ```
 */
export { ConfigSchema, loadConfig, type Config } from './config.js'
export { buildDeps, buildDepsWith, type UploadDeps } from './deps.js'
export { createApp, createRoutes } from './app.js'
