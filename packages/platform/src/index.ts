/**
 * The composition root shared by every service: one call per piece of infrastructure registers its
 * client in the service's deps (start order, readiness check, error translation), so no service
 * copies the wiring. Order matters: attach the database first, NATS next, consumers last; they are
 * stopped in reverse.
 *
 * @example
 * ```ts
 * export async function buildDeps(config: Config, logger: Logger) {
 *   const deps = createServiceDeps('pinning-api', logger)
 *   const database = attachDatabase(deps, config)
 *   const messaging = attachMessaging(deps, config, { name: 'pinning-api' })
 *   const auth = await attachAuth(deps, config, { database, messaging })
 *   return { ...deps, database, messaging, auth }
 * }
 * ```
 */
export { attachDatabase } from './database.js'
export { attachMessaging, type AttachedMessaging } from './messaging.js'
export { attachAuth, databaseRevocationSource } from './auth.js'
export { attachBlockstore } from './blockstore.js'
export { attachSessions } from './sessions.js'
export {
  createPlatform,
  createServiceContext,
  type Platform,
  type ServiceContext,
} from './platform.js'
