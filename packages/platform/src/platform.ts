import type { Auth, AuthConfig } from '@pinion/auth'
import type { Blockstore, BlockstoreConfig } from '@pinion/blockstore'
import type { Database, DatabaseConfig } from '@pinion/db'
import type { NatsConfig } from '@pinion/messaging'
import { createServiceDeps, type Logger, type ServiceDeps } from '@pinion/service-kit'
import type { SessionConfig, Sessions } from '@pinion/sessions'
import { attachAuth } from './auth.js'
import { attachBlockstore } from './blockstore.js'
import { attachDatabase } from './database.js'
import { attachMessaging, type AttachedMessaging } from './messaging.js'
import { attachSessions } from './sessions.js'

/**
 * The shared infrastructure of one process, attached on first use. A standalone service gets its
 * own; the all-in-one process gives one platform to every service it mounts, so they share one
 * database pool, one NATS connection and one revocation list.
 */
export interface Platform {
  database(config: DatabaseConfig): Database
  messaging(config: NatsConfig): AttachedMessaging
  auth(config: AuthConfig & DatabaseConfig & NatsConfig): Promise<Auth>
  blockstore(config: BlockstoreConfig): Blockstore
  /** The dashboard's browser sessions: one per process, so all services read the same cookie. */
  sessions(config: SessionConfig & DatabaseConfig): Promise<Sessions>
}

/** What a service's `buildDepsWith` receives: the deps to extend and the platform to draw from. */
export interface ServiceContext {
  readonly deps: ServiceDeps
  readonly platform: Platform
}

/** Creates a platform whose pieces register themselves in `deps` the first time they are asked for. */
export function createPlatform(deps: ServiceDeps, options: { name: string }): Platform {
  let database: Database | undefined
  let messaging: AttachedMessaging | undefined
  let auth: Promise<Auth> | undefined
  let blockstore: Blockstore | undefined
  let sessions: Promise<Sessions> | undefined
  const platform: Platform = {
    database(config) {
      database ??= attachDatabase(deps, config)
      return database
    },
    messaging(config) {
      messaging ??= attachMessaging(deps, config, { name: options.name })
      return messaging
    },
    auth(config) {
      auth ??= attachAuth(deps, config, {
        database: platform.database(config),
        messaging: platform.messaging(config),
      })
      return auth
    },
    blockstore(config) {
      blockstore ??= attachBlockstore(deps, config)
      return blockstore
    },
    sessions(config) {
      sessions ??= attachSessions(deps, config, { database: platform.database(config) })
      return sessions
    },
  }
  return platform
}

/** A fresh `ServiceDeps` plus its platform: what a standalone service's `buildDeps` starts from. */
export function createServiceContext(name: string, logger: Logger): ServiceContext {
  const deps = createServiceDeps(name, logger)
  return { deps, platform: createPlatform(deps, { name }) }
}
