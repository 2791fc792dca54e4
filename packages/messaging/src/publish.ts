import type { ManagedNatsConnection } from './connection.js'
import { InvalidMessageError, MessagingUnavailableError, summarizeIssues } from './errors.js'
import { streamName, subjectName } from './naming.js'
import type { AnyTopology, PayloadInput, SubjectOf } from './topology.js'

/** Per-publish options. */
export interface PublishOptions {
  /**
   * The message's identity, sent as `Nats-Msg-Id`: a second publish with the same id within the
   * stream's duplicate window is stored once. Derive it from what the message is about
   * (`pin-requested:<requestId>:<attempt>`), never from a random value, so a retry is a duplicate.
   */
  msgId: string
  /** How long to wait for the stream's ack, in ms. Defaults to the publisher's timeout. */
  timeoutMs?: number
}

/** What the stream answered. */
export interface PublishResult {
  /** True when the server already had a message with this id (nothing new was stored). */
  readonly duplicate: boolean
  /** Server-side stream name. */
  readonly stream: string
  /** Stream sequence of the stored message (of the original, for a duplicate). */
  readonly seq: number
}

/** Publishes validated payloads to a topology's subjects. */
export type Publish<T extends AnyTopology> = <S extends SubjectOf<T>>(
  subject: S,
  payload: PayloadInput<T, S>,
  options: PublishOptions,
) => Promise<PublishResult>

export interface PublisherInit<T extends AnyTopology> {
  connection: ManagedNatsConnection
  topology: T
  namespace?: string
  /** Default ack timeout in ms. Default 5000. */
  timeoutMs?: number
}

const msgIdPattern = /^[\x21-\x7e]{1,256}$/

/**
 * Creates `publish(subject, payload, { msgId })`: validates the payload with the subject's schema
 * (nothing is sent when it fails), sends its JSON with `Nats-Msg-Id`, and waits for the stream's
 * ack. It fails fast when NATS is disconnected instead of buffering, so a caller with an outbox
 * can answer at once and publish the row later.
 *
 * The published JSON is the schema's output (defaults applied), so schemas must parse their own
 * output to the same value (no non-idempotent transforms).
 *
 * @throws InvalidMessageError when the payload does not match (or `msgId` is not 1–256 printable
 *   ASCII characters).
 * @throws MessagingUnavailableError when disconnected, when no ack arrives in time, or when the
 *   server does not take the message (e.g. the stream is not provisioned yet).
 */
export function createPublisher<T extends AnyTopology>(init: PublisherInit<T>): Publish<T> {
  const namespace = init.namespace ?? ''
  const defaultTimeoutMs = init.timeoutMs ?? 5000
  return async (subject, payload, options) => {
    const spec = init.topology.subjects[subject]
    if (!spec) throw new RangeError(`unknown subject ${subject}`)
    const parsed = spec.schema.safeParse(payload)
    if (!parsed.success) {
      throw new InvalidMessageError(subject, summarizeIssues(parsed.error), { cause: parsed.error })
    }
    if (!msgIdPattern.test(options.msgId)) {
      throw new InvalidMessageError(subject, 'msgId must be 1–256 printable ASCII characters')
    }
    // Checked before publishing: a disconnected client would buffer the request until timeout.
    if (!init.connection.isConnected()) throw new MessagingUnavailableError('NATS is not connected')
    try {
      const ack = await init.connection
        .jetstream()
        .publish(subjectName(subject, namespace), JSON.stringify(parsed.data), {
          msgID: options.msgId,
          timeout: options.timeoutMs ?? defaultTimeoutMs,
          // A subject captured by some other stream would be a provisioning mistake; refuse it.
          expect: { streamName: streamName(spec.stream, namespace) },
        })
      return { duplicate: ack.duplicate, stream: ack.stream, seq: ack.seq }
    } catch (error) {
      if (error instanceof MessagingUnavailableError) throw error
      throw new MessagingUnavailableError(`publish to ${subject} failed`, { cause: error })
    }
  }
}
