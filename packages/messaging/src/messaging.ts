import type { HealthCheck, Logger, Startable } from '@pinion/service-kit'
import type { ManagedNatsConnection } from './connection.js'
import { createConsumeLoop, type ConsumeLoop, type ConsumeOptions } from './consume.js'
import { abortableDelay } from './delay.js'
import { MessagingUnavailableError } from './errors.js'
import { createListener, type ListenOptions } from './listen.js'
import { validateNamespace } from './naming.js'
import { ensureTopology, type ProvisionReport } from './provision.js'
import { createPublisher, type Publish } from './publish.js'
import type { AnyTopology, ConsumerOf, SubjectOf } from './topology.js'

export interface MessagingInit<T extends AnyTopology> {
  connection: ManagedNatsConnection
  topology: T
  logger: Logger
  /** Prefix of every stream and subject (`config.NATS_NAMESPACE`). Default empty. */
  namespace?: string
  /** Replicas of each stream (`config.NATS_STREAM_REPLICAS`). Default 1. */
  replicas?: number
  /**
   * Provision the whole topology (streams and durable consumers) on every connect. Default true;
   * every service does it, which is harmless because provisioning is idempotent.
   */
  provision?: boolean
  /** Default publish ack timeout, in ms. Default 5000. */
  publishTimeoutMs?: number
}

/**
 * Typed messaging over one topology: publish, durable consume loops and per-instance listeners,
 * all namespaced alike. It is a Startable itself: `start()` provisions the topology now (when
 * connected) and again after every reconnect, retrying in the background until it succeeds.
 */
export interface Messaging<T extends AnyTopology> extends Startable {
  readonly topology: T
  readonly namespace: string
  /** Readiness: the connection's check, plus "the topology was provisioned since connecting". */
  readonly healthCheck: HealthCheck
  /** See {@link createPublisher}. */
  readonly publish: Publish<T>
  /** A consume loop on one registry consumer; add it to the service's startables. */
  consume<C extends ConsumerOf<T>>(options: ConsumeOptions<T, C>): ConsumeLoop
  /** A listener that sees every message of `subject` in this process; a Startable. */
  listen<S extends SubjectOf<T>>(options: ListenOptions<T, S>): Startable
  /**
   * Runs {@link ensureTopology} now.
   *
   * @throws MessagingUnavailableError when not connected; JetStream errors as they come.
   */
  provision(): Promise<ProvisionReport>
}

/** Creates the service's {@link Messaging} on `init.connection`. */
export function createMessaging<T extends AnyTopology>(init: MessagingInit<T>): Messaging<T> {
  const { connection, topology } = init
  const namespace = validateNamespace(init.namespace ?? '')
  const logger = init.logger.child({ component: 'messaging' })
  const placement = { namespace, replicas: init.replicas ?? 1 }
  let provisioned = false
  let round = 0
  let stopping: AbortController | undefined
  let removeListener: (() => void) | undefined

  const provision = async (): Promise<ProvisionReport> => {
    const report = await ensureTopology(await connection.jetstreamManager(), topology, placement)
    logger.debug({ report }, 'topology provisioned')
    return report
  }

  // One round per connect; a newer connect supersedes an older round that is still retrying.
  const provisionUntilDone = async (signal: AbortSignal): Promise<void> => {
    const mine = ++round
    provisioned = false
    for (let failures = 0; !signal.aborted && mine === round; failures += 1) {
      try {
        await provision()
        if (mine === round) provisioned = true
        return
      } catch (error) {
        if (failures === 0) logger.error({ err: error }, 'provisioning failed; retrying')
        await abortableDelay(Math.min(500 * 2 ** failures, 10_000), signal)
      }
    }
  }

  return {
    name: 'messaging',
    topology,
    namespace,
    healthCheck: {
      name: 'nats',
      async check(signal) {
        await connection.healthCheck.check(signal)
        if (init.provision !== false && !provisioned) {
          throw new MessagingUnavailableError('NATS streams are not provisioned yet')
        }
      },
    },
    publish: createPublisher({
      connection,
      topology,
      namespace,
      timeoutMs: init.publishTimeoutMs,
    }),
    consume: (options) =>
      createConsumeLoop({ connection, topology, namespace, logger: init.logger, options }),
    listen: (options) =>
      createListener({ connection, topology, namespace, logger: init.logger, options }),
    provision,
    async start() {
      if (stopping || init.provision === false) return
      const controller = new AbortController()
      stopping = controller
      removeListener = connection.onConnect(() => provisionUntilDone(controller.signal))
      if (connection.isConnected()) void provisionUntilDone(controller.signal)
    },
    async stop() {
      stopping?.abort()
      removeListener?.()
      stopping = undefined
      removeListener = undefined
    },
  }
}
