import type { Auth } from '@pinion/auth'
import type { Database } from '@pinion/db'
import { createConfiguredPins, type Pins } from '@pinion/pins'
import { createServiceContext, type AttachedMessaging, type ServiceContext } from '@pinion/platform'
import type { Logger, ServiceDeps } from '@pinion/service-kit'
import type { Config } from './config.js'

/** Everything pinning-api's routes and consumers use, built once per process. */
export interface PinningApiDeps extends ServiceDeps {
  readonly config: Config
  readonly database: Database
  readonly messaging: AttachedMessaging['messaging']
  readonly auth: Auth
  readonly pins: Pins
}

/**
 * Builds pinning-api's deps on a given platform. The all-in-one process calls this with one shared
 * platform for every service; standalone, {@link buildDeps} makes a platform of its own.
 */
export async function buildDepsWith(
  config: Config,
  { deps, platform }: ServiceContext,
): Promise<PinningApiDeps> {
  const database = platform.database(config)
  const messaging = platform.messaging(config).messaging
  const logger = deps.logger.child({ component: 'pinning-api' })
  return {
    ...deps,
    config,
    database,
    messaging,
    auth: await platform.auth(config),
    pins: await createConfiguredPins({ database, messaging, logger }, config),
  }
}

export function buildDeps(config: Config, logger: Logger): Promise<PinningApiDeps> {
  return buildDepsWith(config, createServiceContext('pinning-api', logger))
}
