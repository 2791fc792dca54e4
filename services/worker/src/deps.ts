import type { Blockstore } from '@pinion/blockstore'
import { advisoryLockKeys, tryWithAdvisoryLock, type Database } from '@pinion/db'
import { createServiceContext, type AttachedMessaging, type ServiceContext } from '@pinion/platform'
import type { Logger, ServiceDeps } from '@pinion/service-kit'
import { createPinMessages } from './adapters/pin-messages.js'
import { createPrismaPinRecords } from './adapters/prisma-pin-records.js'
import type { Config } from './config.js'
import { createPinRemovalConsumer } from './consumers/pin-removals.js'
import { createPinRequestConsumer } from './consumers/pin-requests.js'
import { createSweeper } from './consumers/sweeper.js'
import { createWorkerMetrics } from './worker-metrics.js'

/** Everything worker's routes and consumers use, built once per process. */
export interface WorkerDeps extends ServiceDeps {
  readonly config: Config
  readonly database: Database
  readonly blockstore: Blockstore
  readonly messaging: AttachedMessaging['messaging']
}

/**
 * Builds worker's deps on a given platform. The all-in-one process calls this with one shared
 * platform for every service; standalone, {@link buildDeps} makes a platform of its own.
 *
 * Besides the clients it registers the worker's own Startables after them (so they stop first,
 * before NATS drains and the database closes): the pin request and removal consume loops and the
 * sweeper.
 */
export async function buildDepsWith(
  config: Config,
  { deps, platform }: ServiceContext,
): Promise<WorkerDeps> {
  const database = platform.database(config)
  const blockstore = platform.blockstore(config)
  const messaging = platform.messaging(config).messaging
  const logger = deps.logger.child({ component: 'worker' })
  const records = createPrismaPinRecords(database.prisma)
  const metrics = createWorkerMetrics(deps.metrics.registry)
  const messages = createPinMessages(messaging)
  const requests = createPinRequestConsumer(
    messaging,
    { records, blockstore, publishStatus: messages.publishStatus, logger },
    {
      concurrency: config.WORKER_PIN_CONCURRENCY,
      metrics,
      defaultDeadlineMs: config.PIN_FETCH_TIMEOUT_MS,
      // Well inside the stall window, so a pin that is moving is never re-published.
      touchIntervalMs: Math.max(250, Math.floor(config.SWEEP_STALL_MS / 4)),
    },
  )
  const removals = createPinRemovalConsumer(
    messaging,
    { records, blockstore, logger },
    { concurrency: config.WORKER_REMOVAL_CONCURRENCY },
  )
  const sweeper = createSweeper(
    { records, ...messages, logger },
    {
      intervalMs: config.SWEEP_INTERVAL_MS,
      outboxGraceMs: config.SWEEP_OUTBOX_GRACE_MS,
      stallMs: config.SWEEP_STALL_MS,
      batchSize: config.SWEEP_BATCH_SIZE,
      onReport: metrics.swept,
      exclusively: async (round) =>
        (await tryWithAdvisoryLock(config.DATABASE_URL, advisoryLockKeys.workerSweeper, round))
          .acquired,
    },
  )
  deps.startables.push(requests, removals, sweeper)
  return { ...deps, config, database, blockstore, messaging }
}

export function buildDeps(config: Config, logger: Logger): Promise<WorkerDeps> {
  return buildDepsWith(config, createServiceContext('worker', logger))
}
