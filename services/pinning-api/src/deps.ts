import type { Auth } from '@pinion/auth'
import type { Database } from '@pinion/db'
import { createPins, resolveDelegates, type Pins } from '@pinion/pins'
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
  const delegates = await resolveDelegates({
    configured: config.PIN_DELEGATES,
    blockstore: config.BLOCKSTORE,
    kuboRpcUrl: config.KUBO_RPC_URL,
    localPath: config.BLOCKSTORE_PATH,
  })
  const logger = deps.logger.child({ component: 'pinning-api' })
  return {
    ...deps,
    config,
    database,
    messaging,
    auth: await platform.auth(config),
    pins: createPins({
      database,
      messaging,
      logger,
      delegates,
      deadlineMs: config.PIN_DEADLINE_MS,
    }),
  }
}

export function buildDeps(config: Config, logger: Logger): Promise<PinningApiDeps> {
  return buildDepsWith(config, createServiceContext('pinning-api', logger))
}
