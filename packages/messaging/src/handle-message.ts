import type { JsMsg } from '@nats-io/jetstream'
import type { Logger } from '@pinion/service-kit'
import type { z } from 'zod'
import { decideOutcome, type HandlerResult, type Outcome, type RetryLater } from './outcome.js'
import { summarizeIssues } from './errors.js'
import type { ConsumerSpec } from './topology.js'

/** What a handler knows about the delivery besides the payload. */
export interface HandlerContext {
  /** Registry subject (without namespace). */
  readonly subject: string
  /** The publisher's `Nats-Msg-Id`, the natural idempotency key; undefined if none was sent. */
  readonly msgId: string | undefined
  /** 1 for the first delivery, 2 for the first redelivery, … (at most the consumer's maxDeliver). */
  readonly deliveryCount: number
  /** The message's sequence in its stream. */
  readonly streamSequence: number
  /**
   * Aborted when the consume loop's `stop()` has waited its `stopTimeoutMs`: give up soon and
   * throw; the message is then offered again at once to another instance.
   */
  readonly signal: AbortSignal
  /**
   * Resets the server's ack timer (a progress ack). Call it more often than the consumer's
   * `ackWaitMs` during long work, or the message is redelivered to someone else meanwhile.
   */
  working(): void
  /** The loop's logger with `consumer`, `msgId` and `deliveryCount` bound. */
  readonly logger: Logger
}

/**
 * Processes one payload. Return normally to ack, return `retryLater(ms)` to be called again later,
 * throw an AppError with a permanent reason to give up at once, throw anything else to retry with
 * the consumer's backoff. It must be idempotent: any message may be delivered more than once.
 */
export type MessageHandler<P> = (
  payload: P,
  context: HandlerContext,
) => void | RetryLater | Promise<void | RetryLater>

/** Why the loop gave up on a message, for {@link ConsumeOptions.onExhausted}. */
export interface ExhaustedInfo {
  /** `permanent`: the handler threw a permanent error; `exhausted`: the last delivery failed. */
  readonly reason: 'permanent' | 'exhausted'
  /** The last error (undefined when the last attempt asked to retry later). */
  readonly error: unknown
  readonly deliveryCount: number
  readonly msgId: string | undefined
}

/** Called once the server will not deliver a message again, so the caller can mark work failed. */
export type ExhaustedHook<P> = (payload: P, info: ExhaustedInfo) => void | Promise<void>

export interface HandleMessageInit<P> {
  subject: string
  schema: z.ZodType<P>
  spec: ConsumerSpec
  handler: MessageHandler<P>
  onExhausted: ExhaustedHook<P> | undefined
  signal: AbortSignal
  logger: Logger
}

const decoder = new TextDecoder()

function settle(message: JsMsg, outcome: Outcome): void {
  if (outcome.kind === 'ack') message.ack()
  else if (outcome.kind === 'nak') message.nak(outcome.delayMs)
  else message.term()
}

function parse<P>(message: JsMsg, schema: z.ZodType<P>): z.ZodSafeParseResult<P> | undefined {
  try {
    return schema.safeParse(JSON.parse(decoder.decode(message.data)))
  } catch {
    return undefined
  }
}

/**
 * Validates, runs the handler and settles one message (ack / nak(delay) / term, see
 * `decideOutcome`). Never rejects: every failure is logged and settled, and a settle that cannot
 * reach the server (connection gone) only means the server redelivers after ack_wait.
 */
export async function handleMessage<P>(message: JsMsg, init: HandleMessageInit<P>): Promise<void> {
  const msgId = message.headers?.get('Nats-Msg-Id') || undefined
  const deliveryCount = message.info.deliveryCount
  const logger = init.logger.child({ msgId, deliveryCount, seq: message.seq })
  try {
    const parsed = parse(message, init.schema)
    if (!parsed?.success) {
      const details = parsed ? summarizeIssues(parsed.error) : 'not JSON'
      logger.error({ details }, 'invalid message; terminated')
      message.term()
      return
    }
    let settled = false
    const context: HandlerContext = {
      subject: init.subject,
      msgId,
      deliveryCount,
      streamSequence: message.seq,
      signal: init.signal,
      logger,
      working: () => {
        if (!settled) message.working()
      },
    }
    let result: HandlerResult
    try {
      result = { ok: true, value: await init.handler(parsed.data, context) }
    } catch (error) {
      result = { ok: false, error, stopping: init.signal.aborted }
    }
    settled = true
    const outcome = decideOutcome(result, { ...init.spec, deliveryCount })
    const error = result.ok ? undefined : result.error
    if (outcome.kind === 'term') {
      const level = outcome.reason === 'permanent' ? 'warn' : 'error'
      logger[level]({ err: error, reason: outcome.reason }, 'message given up')
      try {
        await init.onExhausted?.(parsed.data, {
          reason: outcome.reason,
          error,
          deliveryCount,
          msgId,
        })
      } catch (hookError) {
        logger.error({ err: hookError }, 'onExhausted failed')
      }
    } else if (outcome.kind === 'nak' && !outcome.retryLater) {
      logger.warn({ err: error, retryInMs: outcome.delayMs }, 'handler failed; will retry')
    }
    settle(message, outcome)
  } catch (error) {
    logger.warn({ err: error }, 'could not settle message; the server will redeliver it')
  }
}
