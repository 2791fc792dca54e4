import type { Auth } from '@pinion/auth'
import type { Database } from '@pinion/db'
import { createConfiguredPins, type Pins } from '@pinion/pins'
import { createServiceContext, type AttachedMessaging, type ServiceContext } from '@pinion/platform'
import type { Logger, ServiceDeps } from '@pinion/service-kit'
import type { Sessions } from '@pinion/sessions'
import type { Config } from './config.js'
import { createAttemptPruner } from './domain/attempt-limiter.js'
import { createPinEventHub, type PinEventHub } from './domain/pin-events.js'

/** Everything dashboard's routes and consumers use, built once per process. */
export interface DashboardDeps extends ServiceDeps {
  readonly config: Config
  readonly database: Database
  readonly messaging: AttachedMessaging['messaging']
  readonly auth: Auth
  readonly sessions: Sessions
  /** Pin status changes for the live pins page. */
  readonly pinEvents: PinEventHub
  /** The pin domain, for the pins page (the same rules as the Pinning API). */
  readonly pins: Pins
}

/**
 * Builds dashboard's deps on a given platform. The all-in-one process calls this with one shared
 * platform for every service; standalone, {@link buildDeps} makes a platform of its own.
 */
export async function buildDepsWith(
  config: Config,
  { deps, platform }: ServiceContext,
): Promise<DashboardDeps> {
  const database = platform.database(config)
  const messaging = platform.messaging(config).messaging
  const auth = await platform.auth(config)
  const sessions = await platform.sessions(config)
  const pins = await createConfiguredPins(
    { database, messaging, logger: deps.logger.child({ component: 'pins' }) },
    config,
  )
  const pinEvents = createPinEventHub(messaging)
  deps.startables.push(pinEvents, createAttemptPruner(database.prisma))
  return {
    ...deps,
    config,
    database,
    messaging,
    auth,
    sessions,
    pinEvents,
    pins,
  }
}

export function buildDeps(config: Config, logger: Logger): Promise<DashboardDeps> {
  return buildDepsWith(config, createServiceContext('dashboard', logger))
}
