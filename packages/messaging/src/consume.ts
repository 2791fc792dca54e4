import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import type { Logger, Startable } from '@pinion/service-kit'
import type { ManagedNatsConnection } from './connection.js'
import { createBackgroundTask, whenAborted } from './background.js'
import { abortableDelay, settlesWithin } from './delay.js'
import { handleMessage, type ExhaustedHook, type MessageHandler } from './handle-message.js'
import { consumerStream } from './server-config.js'
import type { AnyTopology, ConsumerOf, ConsumerPayload } from './topology.js'

/** How to run one durable consumer of the topology. */
export interface ConsumeOptions<T extends AnyTopology, C extends ConsumerOf<T>> {
  /** Registry consumer name; its subject, ack wait, max deliveries and backoff come from there. */
  consumer: C
  handler: MessageHandler<ConsumerPayload<T, C>>
  /** Messages handled at once by this instance. Default 1. */
  concurrency?: number
  /** Called when a message is given up (permanent error, or its last delivery failed). */
  onExhausted?: ExhaustedHook<ConsumerPayload<T, C>>
  /** How long `stop()` waits for running handlers before aborting their signal, in ms. Default 10 000. */
  stopTimeoutMs?: number
  /** How long one pull request waits for messages, in ms (the server's minimum is 1000). Default 5000. */
  fetchExpiresMs?: number
}

/** A running consume loop. */
export interface ConsumeLoop extends Startable {
  /** Handlers running right now. */
  inFlight(): number
}

export interface ConsumeLoopInit<T extends AnyTopology, C extends ConsumerOf<T>> {
  connection: ManagedNatsConnection
  topology: T
  namespace: string
  logger: Logger
  options: ConsumeOptions<T, C>
}

/**
 * A consume loop on a durable pull consumer with explicit ack. It pulls only as many messages as
 * it has free handler slots (so no message waits in a local buffer while its ack timer runs),
 * hands each to {@link handleMessage}, and keeps going through disconnects and server restarts:
 * a failed pull is retried with backoff (250 ms doubling to 5 s) once the client has reconnected.
 *
 * `stop()` stops pulling (messages that arrive meanwhile are nak'ed for another instance), waits
 * up to `stopTimeoutMs` for running handlers, then aborts their signal and waits one more second.
 * It does not drain the connection: stop the loops first, then the connection (list the
 * connection before the loops in a service's startables, which are stopped in reverse).
 */
export function createConsumeLoop<T extends AnyTopology, C extends ConsumerOf<T>>(
  init: ConsumeLoopInit<T, C>,
): ConsumeLoop {
  const { connection, topology, options } = init
  const spec = topology.consumers[options.consumer]
  if (!spec) throw new RangeError(`unknown consumer ${options.consumer}`)
  const schema = topology.subjects[spec.subject]?.schema
  if (!schema) throw new RangeError(`unknown subject ${spec.subject}`)
  const concurrency = options.concurrency ?? 1
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError('concurrency must be an integer ≥ 1')
  }
  const fetchExpiresMs = Math.max(options.fetchExpiresMs ?? 5000, 1000)
  const stream = consumerStream(topology, options.consumer, { namespace: init.namespace })
  const logger = init.logger.child({ component: 'consumer', consumer: options.consumer })
  const inflight = new Set<Promise<void>>()
  let cached: { connection: NatsConnection; consumer: Consumer } | undefined
  let batch: ConsumerMessages | undefined
  let handlersSignal = new AbortController()

  const getConsumer = async (): Promise<Consumer> => {
    const live = connection.connection()
    if (cached?.connection === live) return cached.consumer
    const consumer = await connection.jetstream().consumers.get(stream, options.consumer)
    cached = { connection: live, consumer }
    return consumer
  }

  // `stopped` resolves with the signal's abort, so a loop waiting for a busy slot notices stop().
  const waitForSlot = async (signal: AbortSignal, stopped: Promise<void>): Promise<void> => {
    while (inflight.size >= concurrency && !signal.aborted) {
      await Promise.race([...inflight, stopped])
    }
  }

  const dispatch = (message: JsMsg): void => {
    const task = handleMessage(message, {
      subject: spec.subject,
      schema,
      spec,
      handler: options.handler as MessageHandler<unknown>,
      onExhausted: options.onExhausted as ExhaustedHook<unknown> | undefined,
      signal: handlersSignal.signal,
      logger,
    }).finally(() => inflight.delete(task))
    inflight.add(task)
  }

  const pullOnce = async (signal: AbortSignal, stopped: Promise<void>): Promise<void> => {
    const consumer = await getConsumer()
    const messages = await consumer.fetch({
      max_messages: concurrency - inflight.size,
      expires: fetchExpiresMs,
    })
    batch = messages
    // stop() may have run while the pull was being set up, before `batch` could be stopped.
    if (signal.aborted) messages.stop()
    try {
      for await (const message of messages) {
        // A reconnect can re-issue the pull, so a batch may exceed the free slots: wait for one.
        await waitForSlot(signal, stopped)
        if (signal.aborted) message.nak()
        else dispatch(message)
      }
    } finally {
      batch = undefined
    }
  }

  const run = async (signal: AbortSignal): Promise<void> => {
    const stopped = whenAborted(signal)
    let failures = 0
    while (!signal.aborted) {
      await waitForSlot(signal, stopped)
      if (signal.aborted) break
      try {
        await pullOnce(signal, stopped)
        if (failures > 0) logger.info({ failures }, 'consuming again')
        failures = 0
      } catch (error) {
        if (signal.aborted) break
        // Look the consumer up again: it may have been deleted and provisioned anew meanwhile.
        cached = undefined
        if (failures === 0) logger.warn({ err: error }, 'pull failed; retrying')
        else logger.debug({ err: error, failures }, 'pull failed again')
        await abortableDelay(Math.min(250 * 2 ** failures, 5000), signal)
        failures += 1
      }
    }
  }

  const task = createBackgroundTask(run)
  return {
    name: `consumer:${options.consumer}`,
    inFlight: () => inflight.size,
    async start() {
      if (task.running) return
      handlersSignal = new AbortController()
      task.start()
      logger.info({ stream, concurrency }, 'consume loop started')
    },
    async stop() {
      if (!(await task.stop(() => batch?.stop()))) return
      const running = Promise.allSettled([...inflight])
      if (!(await settlesWithin(running, options.stopTimeoutMs ?? 10_000))) {
        logger.warn({ inFlight: inflight.size }, 'handlers still running; aborting them')
        handlersSignal.abort()
        await settlesWithin(running, 1000)
      }
      logger.info({ inFlight: inflight.size }, 'consume loop stopped')
    },
  }
}
