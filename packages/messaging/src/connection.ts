import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream'
import { connect, type NatsConnection } from '@nats-io/transport-node'
import type { HealthCheck, Logger, Startable } from '@pinion/service-kit'
import { MessagingUnavailableError } from './errors.js'
import { createBackgroundTask } from './background.js'
import { abortableDelay, settlesWithin } from './delay.js'

export interface NatsConnectionOptions {
  /** Server URL(s), e.g. `config.NATS_URL`. */
  servers: string | readonly string[]
  /** Connection name shown by the server (`nats-server` monitoring), usually the service name. */
  name: string
  logger: Logger
  /** Per-attempt timeout of the first connect, in ms. Default 2000. */
  connectTimeoutMs?: number
  /** Longest pause between first-connect attempts, in ms (doubling from 250). Default 5000. */
  maxConnectBackoffMs?: number
  /** Pause between reconnect attempts once connected before, in ms. Default 1000. */
  reconnectTimeWaitMs?: number
  /** Timeout of JetStream API requests (health check, provisioning), in ms. Default 5000. */
  apiTimeoutMs?: number
  /** How long `stop()` lets `drain()` run before closing outright, in ms. Default 5000. */
  drainTimeoutMs?: number
}

/**
 * One NATS connection that is allowed to be down. `start()` returns at once and connects in the
 * background (retrying with backoff, forever); once connected the client reconnects by itself
 * (`reconnect: true, maxReconnectAttempts: -1`), and if the connection ever closes for good, the
 * first-connect loop starts again. `stop()` drains (finishing pending publishes and acks), then
 * closes.
 */
export interface ManagedNatsConnection extends Startable {
  /** Readiness: connected, and JetStream answers an account-info request. */
  readonly healthCheck: HealthCheck
  /** True while the connection is up (false before the first connect and during reconnects). */
  isConnected(): boolean
  /**
   * The live connection.
   *
   * @throws MessagingUnavailableError when not connected.
   */
  connection(): NatsConnection
  /**
   * A JetStream client on the live connection (cheap; do not keep it across reconnects).
   *
   * @throws MessagingUnavailableError when not connected.
   */
  jetstream(): JetStreamClient
  /**
   * The JetStream manager of the live connection (cached per connection).
   *
   * @throws MessagingUnavailableError when not connected or JetStream does not answer.
   */
  jetstreamManager(): Promise<JetStreamManager>
  /**
   * Calls `listener` after the first connect and after every reconnect (e.g. to provision streams
   * again after a server lost its state). Errors it throws or rejects with are logged. Returns a
   * function that removes the listener.
   */
  onConnect(listener: (connection: NatsConnection) => unknown): () => void
}

/**
 * Creates the service's NATS connection; see {@link ManagedNatsConnection}. List it first among a
 * service's startables so that it stops last, after the consume loops finished their work.
 */
export function createNatsConnection(options: NatsConnectionOptions): ManagedNatsConnection {
  const logger = options.logger.child({ component: 'nats' })
  const servers = typeof options.servers === 'string' ? [options.servers] : [...options.servers]
  const apiTimeoutMs = options.apiTimeoutMs ?? 5000
  const listeners = new Set<(connection: NatsConnection) => unknown>()
  let current: NatsConnection | undefined
  let connected = false
  let manager: { connection: NatsConnection; manager: Promise<JetStreamManager> } | undefined

  const notify = (connection: NatsConnection): void => {
    for (const listener of listeners) {
      Promise.resolve()
        .then(() => listener(connection))
        .catch((error: unknown) => logger.error({ err: error }, 'connect listener failed'))
    }
  }

  const watchStatus = async (connection: NatsConnection): Promise<void> => {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect') {
        connected = false
        logger.warn({ server: status.server }, 'nats disconnected')
      } else if (status.type === 'reconnect') {
        connected = true
        logger.info({ server: status.server }, 'nats reconnected')
        notify(connection)
      } else if (status.type === 'error') {
        logger.warn({ err: status.error }, 'nats server error')
      }
    }
  }

  const connectOnce = (): Promise<NatsConnection> =>
    connect({
      servers,
      name: options.name,
      timeout: options.connectTimeoutMs ?? 2000,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: options.reconnectTimeWaitMs ?? 1000,
      // Notice a dead server (half-open TCP) within about a minute instead of the default 4.
      pingInterval: 20_000,
      maxPingOut: 3,
      // Otherwise every request (each JetStream publish, each consumer pull) creates two Error
      // objects up front to carry its caller's stack: about 35 µs of CPU per publish plus the GC.
      // Our errors are wrapped (MessagingUnavailableError) and logged with their cause anyway.
      noAsyncTraces: true,
    })

  const run = async (signal: AbortSignal): Promise<void> => {
    let failures = 0
    while (!signal.aborted) {
      let connection: NatsConnection
      try {
        connection = await connectOnce()
      } catch (error) {
        // One warning per outage; the attempts after it are debug noise.
        if (failures === 0) logger.warn({ err: error, servers }, 'nats unreachable; retrying')
        else logger.debug({ err: error, failures }, 'nats still unreachable')
        const pause = Math.min(250 * 2 ** failures, options.maxConnectBackoffMs ?? 5000)
        failures += 1
        await abortableDelay(pause, signal)
        continue
      }
      if (signal.aborted) {
        await connection.close()
        return
      }
      failures = 0
      current = connection
      connected = true
      logger.info({ server: connection.getServer() }, 'nats connected')
      void watchStatus(connection)
      notify(connection)
      const closedWith = await connection.closed()
      connected = false
      current = undefined
      manager = undefined
      if (signal.aborted) return
      logger.error({ err: closedWith }, 'nats connection closed unexpectedly; connecting again')
    }
  }

  const task = createBackgroundTask(run)

  const live = (): NatsConnection => {
    if (!connected || current === undefined) {
      throw new MessagingUnavailableError('NATS is not connected')
    }
    return current
  }

  const getManager = async (): Promise<JetStreamManager> => {
    const connection = live()
    if (manager?.connection !== connection) {
      const created = jetstreamManager(connection, { timeout: apiTimeoutMs })
      manager = { connection, manager: created }
      // Do not cache a failure: the next caller tries again.
      created.catch(() => {
        if (manager?.manager === created) manager = undefined
      })
    }
    try {
      return await manager.manager
    } catch (error) {
      throw new MessagingUnavailableError('JetStream is not available', { cause: error })
    }
  }

  return {
    name: 'nats',
    healthCheck: {
      name: 'nats',
      async check() {
        const jsm = await getManager()
        await jsm.getAccountInfo()
      },
    },
    isConnected: () => connected,
    connection: live,
    jetstream: () => jetstream(live(), { timeout: apiTimeoutMs }),
    jetstreamManager: getManager,
    onConnect(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async start() {
      task.start()
    },
    async stop() {
      const stopped = await task.stop(async () => {
        const connection = current
        if (!connection || connection.isClosed()) return
        const drained = connection.drain().catch((error: unknown) => {
          logger.warn({ err: error }, 'nats drain failed')
        })
        if (!(await settlesWithin(drained, options.drainTimeoutMs ?? 5000))) {
          logger.warn('nats drain timed out; closing')
        }
        if (!connection.isClosed()) await connection.close()
      })
      if (!stopped) return
      logger.info('nats connection closed')
    },
  }
}
