import type { Auth } from '@pinion/auth'
import type { Blockstore } from '@pinion/blockstore'
import type { Database } from '@pinion/db'
import { createPins } from '@pinion/pins'
import { createServiceContext, type AttachedMessaging, type ServiceContext } from '@pinion/platform'
import type { Logger, ServiceDeps } from '@pinion/service-kit'
import { createUnixfsImporter } from '@pinion/unixfs'
import { createDatabaseWebhookEvents } from './adapters/database-events.js'
import { createDatabaseInstallations } from './adapters/database-installations.js'
import { createDatabasePinLinks } from './adapters/database-pin-links.js'
import { createGithubPins } from './adapters/pins.js'
import type { Config } from './config.js'
import { createDeliveriesConsumer } from './consumers/deliveries.js'
import { createPinStatusConsumer } from './consumers/pin-status.js'
import { createStaleDeliverySweeper } from './consumers/stale-deliveries.js'
import { createDeliveryProcessor, giveUpOnEvent } from './domain/delivery-processor.js'
import {
  createDeliveryReceiver,
  requeueStaleDeliveries,
  type DeliveryQueue,
  type ReceiveResult,
} from './domain/delivery-receiver.js'
import type { GithubApi } from './domain/github-api.js'
import { createInstallationHandler } from './domain/installation-handler.js'
import { createPinStatusHandler, pinnedStatus } from './domain/pin-status-handler.js'
import { createPushHandler } from './domain/push-handler.js'
import { createReleaseHandler } from './domain/release-handler.js'
import type { IncomingDelivery } from './domain/webhook-events.js'
import { createGithubApi } from './github/github-api.js'
import { readSecret } from './secrets.js'

/** Everything github-bot's routes and consumers use, built once per process. */
export interface GithubBotDeps extends ServiceDeps {
  readonly config: Config
  readonly database: Database
  readonly blockstore: Blockstore
  readonly messaging: AttachedMessaging['messaging']
  readonly auth: Auth
  /** The webhook secret, read from the variable or its file; undefined without an App. */
  readonly webhookSecret: string | undefined
  /** GitHub as the App; undefined without an App. */
  readonly github: GithubApi | undefined
  readonly receive: (delivery: IncomingDelivery) => Promise<ReceiveResult>
  /** Queues again deliveries recorded over 2 minutes ago but never processed (runs every minute). */
  readonly sweepStaleDeliveries: () => Promise<number>
}

/**
 * Builds github-bot's deps on a given platform. The all-in-one process calls this with one shared
 * platform for every service; standalone, {@link buildDeps} makes a platform of its own. The
 * delivery and pin-status consumers start with the other startables.
 */
export async function buildDepsWith(
  config: Config,
  { deps, platform }: ServiceContext,
): Promise<GithubBotDeps> {
  const logger = deps.logger.child({ component: 'github-bot' })
  const database = platform.database(config)
  const blockstore = platform.blockstore(config)
  const messaging = platform.messaging(config).messaging
  const privateKey = await readSecret(
    'GITHUB_PRIVATE_KEY',
    config.GITHUB_PRIVATE_KEY,
    config.GITHUB_PRIVATE_KEY_FILE,
  )
  const webhookSecret = await readSecret(
    'GITHUB_WEBHOOK_SECRET',
    config.GITHUB_WEBHOOK_SECRET,
    config.GITHUB_WEBHOOK_SECRET_FILE,
  )
  const github =
    config.GITHUB_APP_ID === undefined || privateKey === undefined
      ? undefined
      : createGithubApi({
          appId: config.GITHUB_APP_ID,
          privateKey,
          baseUrl: config.GITHUB_API_URL,
          rateLimitRetries: config.GITHUB_RATE_LIMIT_RETRIES,
          rateLimitMaxWaitMs: config.GITHUB_RATE_LIMIT_MAX_WAIT_MS,
        })

  const events = createDatabaseWebhookEvents(database)
  const installations = createDatabaseInstallations(database)
  const links = createDatabasePinLinks(database)
  // The bot never answers a PinStatus, so the delegates are only what is configured.
  const pins = createGithubPins(
    createPins({
      database,
      messaging,
      logger,
      delegates: config.PIN_DELEGATES ?? [],
      deadlineMs: config.PIN_DEADLINE_MS,
    }),
    database,
  )
  const unixfs = createUnixfsImporter({ blockstore })
  const installationHandler = createInstallationHandler({ installations })
  const process = createDeliveryProcessor({
    events,
    installations,
    github,
    logger,
    handlers: {
      push: createPushHandler(
        { unixfs, pins, links, pinnedStatus: (link) => pinnedStatus(config.PUBLIC_URL, link) },
        { maxDownloadBytes: config.GITHUB_MAX_DOWNLOAD_BYTES, keepPins: config.GITHUB_KEEP_PINS },
      ),
      release: createReleaseHandler(
        { unixfs, pins, links },
        {
          maxDownloadBytes: config.GITHUB_MAX_DOWNLOAD_BYTES,
          pollInitialMs: config.GITHUB_RELEASE_POLL_INITIAL_MS,
          pollMaxMs: config.GITHUB_RELEASE_POLL_MAX_MS,
        },
      ),
      installation: installationHandler.handleInstallation,
      installation_repositories: installationHandler.handleInstallationRepositories,
      ping: async (job) => {
        await job.journal.info('ping: GitHub reaches this Pinion')
        return 'succeeded'
      },
    },
  })
  const queue: DeliveryQueue = {
    enqueue: async (delivery, attempt) => {
      await messaging.publish(
        'pinion.github.deliveries',
        {
          deliveryId: delivery.deliveryId,
          event: delivery.event,
          ...(delivery.action === undefined ? {} : { action: delivery.action }),
          ...(delivery.installationId === undefined
            ? {}
            : { installationId: delivery.installationId }),
          webhookEventId: delivery.webhookEventId,
          receivedAt: delivery.receivedAt.toISOString(),
        },
        // GitHub waits 10 s for the answer: a slow ack leaves the row queued for the sweeper.
        { msgId: `github-delivery-${delivery.webhookEventId}-${attempt}`, timeoutMs: 2000 },
      )
    },
  }
  const receive = createDeliveryReceiver({ events, logger, queue })
  const sweepStaleDeliveries = () =>
    requeueStaleDeliveries({ events, queue }, { olderThanMs: 2 * 60_000 })
  const onPinStatus = createPinStatusHandler({
    github,
    links,
    pins,
    events,
    publicUrl: config.PUBLIC_URL,
    logger,
  })
  deps.startables.push(
    createDeliveriesConsumer({
      messaging,
      process,
      concurrency: 2,
      giveUp: (eventId, error) => giveUpOnEvent(events, eventId, error),
    }),
    createPinStatusConsumer({ messaging, onPinStatus }),
    createStaleDeliverySweeper({ sweep: sweepStaleDeliveries, logger }),
  )
  return {
    ...deps,
    config,
    database,
    blockstore,
    messaging,
    auth: await platform.auth(config),
    webhookSecret,
    github,
    receive,
    sweepStaleDeliveries,
  }
}

export function buildDeps(config: Config, logger: Logger): Promise<GithubBotDeps> {
  return buildDepsWith(config, createServiceContext('github-bot', logger))
}
