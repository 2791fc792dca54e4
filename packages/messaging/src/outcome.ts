import { isAppError, permanentReasons } from '@pinion/service-kit'
import { retryDelay } from './backoff.js'

const retryLaterMarker: unique symbol = Symbol('pinion.retryLater')

/** A handler's request to see the message again later without counting it as an error. */
export interface RetryLater {
  readonly [retryLaterMarker]: true
  /** Delay in ms before the server redelivers the message. */
  readonly delayMs: number
}

/**
 * Returned from a handler: "not now, try again in `delayMs`" (e.g. the content is not reachable
 * yet). The message is nak'ed with that delay; it still counts as a delivery, so `maxDeliver`
 * bounds how often a message can be postponed.
 *
 * @throws RangeError when `delayMs` is not a non-negative integer.
 */
export function retryLater(delayMs: number): RetryLater {
  if (!Number.isInteger(delayMs) || delayMs < 0) {
    throw new RangeError(`retryLater delay must be a non-negative integer of ms, got ${delayMs}`)
  }
  return { [retryLaterMarker]: true, delayMs }
}

function isRetryLater(value: unknown): value is RetryLater {
  return typeof value === 'object' && value !== null && retryLaterMarker in value
}

/** What a handler did: returned (maybe asking to retry later) or threw. */
export type HandlerResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown; readonly stopping: boolean }

/** The delivery being settled and its consumer's retry policy. */
export interface Attempt {
  /** 1 for the first delivery. */
  readonly deliveryCount: number
  readonly maxDeliver: number
  readonly backoffMs: readonly number[]
}

/** How to settle a message. `term` means the server will not deliver it again. */
export type Outcome =
  | { readonly kind: 'ack' }
  | { readonly kind: 'nak'; readonly delayMs: number; readonly retryLater: boolean }
  | { readonly kind: 'term'; readonly reason: 'permanent' | 'exhausted' }

/** True for errors that would fail the same way on every redelivery (service-kit's list). */
export function isPermanentError(error: unknown): boolean {
  return isAppError(error) && permanentReasons.has(error.reason)
}

/**
 * Maps a handler result to ack / nak(delay) / term:
 * - returned → ack; returned {@link retryLater} → nak with its delay;
 * - threw a permanent error (an AppError whose reason is in `permanentReasons`) → term;
 * - threw anything else → nak with the backoff delay (no delay while the loop is stopping, so
 *   another instance takes the message at once);
 * - a nak on the last allowed delivery would never come back, so it becomes term `exhausted`.
 */
export function decideOutcome(result: HandlerResult, attempt: Attempt): Outcome {
  if (result.ok && !isRetryLater(result.value)) return { kind: 'ack' }
  if (!result.ok && isPermanentError(result.error)) return { kind: 'term', reason: 'permanent' }
  if (attempt.deliveryCount >= attempt.maxDeliver) return { kind: 'term', reason: 'exhausted' }
  if (result.ok) {
    return { kind: 'nak', delayMs: (result.value as RetryLater).delayMs, retryLater: true }
  }
  const delayMs = result.stopping ? 0 : retryDelay(attempt.backoffMs, attempt.deliveryCount)
  return { kind: 'nak', delayMs, retryLater: false }
}
