/**
 * The GitHub App: pinion.build.yaml, release assets and directories pinned, commit statuses, webhook event log, at /github/webhooks.
 *
 * The package exports the pieces the all-in-one process composes; `src/main.ts` runs it alone.
 *
 * @example
 * ```ts
 * import { ConfigSchema, buildDepsWith, createRoutes } from '@pinion/github-bot'
 * const deps = await buildDepsWith(parseConfig(ConfigSchema, env), context)
 * app.use(createRoutes(deps))
 * ```
 */
export { ConfigSchema, loadConfig, type Config } from './config.js'
export { buildDeps, buildDepsWith, type GithubBotDeps } from './deps.js'
export { createApp, createRoutes } from './app.js'
export {
  buildAppManifest,
  convertManifestCode,
  manifestFormUrl,
  ManifestConversionError,
  type AppManifest,
  type RegisteredApp,
} from './manifest/app-manifest.js'
export {
  startManifestFlow,
  type ManifestFlow,
  type ManifestFlowOptions,
} from './manifest/manifest-flow.js'
export { githubSchema, refineGithubConfig, type GithubConfig } from './config.js'
