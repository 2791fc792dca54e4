import {
  DeliverPolicy,
  type ConsumerMessages,
  type OrderedConsumerOptions,
} from '@nats-io/jetstream'
import type { Logger, Startable } from '@pinion/service-kit'
import type { ManagedNatsConnection } from './connection.js'
import { createBackgroundTask } from './background.js'
import { abortableDelay } from './delay.js'
import { summarizeIssues } from './errors.js'
import { streamName, subjectName } from './naming.js'
import type { AnyTopology, PayloadOf, SubjectOf } from './topology.js'

/** What a listener knows about a message besides the payload. */
export interface ListenContext {
  readonly subject: string
  readonly streamSequence: number
  /** When the stream stored the message. */
  readonly publishedAt: Date
}

/** How to follow one subject in this process only. */
export interface ListenOptions<T extends AnyTopology, S extends SubjectOf<T>> {
  subject: S
  /** Called in stream order; an error is logged and the message skipped (no retries). */
  handler: (payload: PayloadOf<T, S>, context: ListenContext) => void | Promise<void>
  /** Replay messages stored since this time first; default: only messages published from now on. */
  since?: Date
}

export interface ListenerInit<T extends AnyTopology, S extends SubjectOf<T>> {
  connection: ManagedNatsConnection
  topology: T
  namespace: string
  logger: Logger
  options: ListenOptions<T, S>
}

const decoder = new TextDecoder()

/** Longest wait in start() for the listener's consumer (NATS may be down at start). */
const followTimeoutMs = 5000

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref())

/**
 * A per-instance listener: every process that listens sees every message (dashboard live updates,
 * token revocations), unlike a durable consumer whose instances share the work. It reads through a
 * JetStream ordered consumer (in memory, no acks), so it survives reconnects and restarts without
 * gaps: after a failure it resumes from the sequence after the last one it handled. Delivery is
 * at most once per listener; use a durable consumer where a handler failure must be retried.
 */
export function createListener<T extends AnyTopology, S extends SubjectOf<T>>(
  init: ListenerInit<T, S>,
): Startable {
  const { options } = init
  const spec = init.topology.subjects[options.subject]
  if (!spec) throw new RangeError(`unknown subject ${options.subject}`)
  const stream = streamName(spec.stream, init.namespace)
  const filter = subjectName(options.subject, init.namespace)
  const logger = init.logger.child({ component: 'listener', subject: options.subject })
  let lastSequence = 0
  let messages: ConsumerMessages | undefined
  // Resolved once the first consumer exists: from then on no message is missed (DeliverPolicy.New
  // starts at the consumer's creation, not at start()).
  let markFollowing: () => void = () => {}
  const following = new Promise<void>((resolve) => (markFollowing = resolve))

  /** With `since`: the stream sequence to start from, once found. */
  let sinceSequence: number | undefined

  /**
   * The first sequence stored at or after `since` on this subject (a short-lived ordered consumer
   * finds it), or the stream's next one when there is none. The listener's own consumer then
   * starts at a sequence and is never given `opt_start_time`: @nats-io/jetstream's ordered
   * consumer keeps that option beside the sequence it resumes from when it recreates itself after
   * a server restart, the server refuses the pair, and the listener would stop for good.
   */
  const sequenceSince = async (since: Date): Promise<number> => {
    const manager = await init.connection.jetstreamManager()
    // Read before probing: a message stored after the probe gave up has a later sequence.
    const next = (await manager.streams.info(stream)).state.last_seq + 1
    const probe = await init.connection
      .jetstream()
      .consumers.get(stream, { filter_subjects: filter, opt_start_time: since.toISOString() })
    try {
      return (await probe.next({ expires: 1000 }))?.seq ?? next
    } finally {
      await probe.delete().catch(() => undefined)
    }
  }

  const position = (): Partial<OrderedConsumerOptions> => {
    const start = lastSequence > 0 ? lastSequence + 1 : sinceSequence
    if (start !== undefined)
      return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start }
    return { deliver_policy: DeliverPolicy.New }
  }

  const deliver = async (data: Uint8Array, context: ListenContext): Promise<void> => {
    let json: unknown
    try {
      json = JSON.parse(decoder.decode(data))
    } catch {
      logger.error({ seq: context.streamSequence }, 'message is not JSON; skipped')
      return
    }
    const parsed = spec.schema.safeParse(json)
    if (!parsed.success) {
      const details = summarizeIssues(parsed.error)
      logger.error({ seq: context.streamSequence, details }, 'invalid message; skipped')
      return
    }
    try {
      await options.handler(parsed.data as PayloadOf<T, S>, context)
    } catch (error) {
      logger.warn({ err: error, seq: context.streamSequence }, 'listener handler failed')
    }
  }

  const follow = async (signal: AbortSignal): Promise<void> => {
    if (options.since !== undefined && lastSequence === 0 && sinceSequence === undefined)
      sinceSequence = await sequenceSince(options.since)
    const consumer = await init.connection
      .jetstream()
      .consumers.get(stream, { filter_subjects: filter, ...position() })
    messages = await consumer.consume({ max_messages: 100 })
    markFollowing()
    if (signal.aborted) messages.stop()
    for await (const message of messages) {
      lastSequence = message.seq
      await deliver(message.data, {
        subject: options.subject,
        streamSequence: message.seq,
        publishedAt: message.time,
      })
    }
  }

  const run = async (signal: AbortSignal): Promise<void> => {
    let failures = 0
    while (!signal.aborted) {
      try {
        await follow(signal)
        // The iterator ended without an error (connection closed under it): pause, then resume.
        failures = 0
        await abortableDelay(250, signal)
      } catch (error) {
        if (signal.aborted) break
        if (failures === 0) logger.warn({ err: error }, 'listener interrupted; resuming')
        await abortableDelay(Math.min(250 * 2 ** failures, 5000), signal)
        failures += 1
      }
    }
  }

  const task = createBackgroundTask(run)
  return {
    name: `listener:${options.subject}`,
    /**
     * Starts following and waits (at most {@link followTimeoutMs}) until the consumer exists, so
     * that a message published after start() resolved reaches the handler. With NATS down it
     * returns after the timeout and the listener keeps trying in the background.
     */
    async start() {
      task.start()
      await Promise.race([following, delay(followTimeoutMs)])
    },
    async stop() {
      await task.stop(() => messages?.stop())
    },
  }
}
