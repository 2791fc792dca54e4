import { QuotaExceededError } from '@pinion/service-kit'
import { EmptyBodyError, PayloadTooLargeError } from './errors.js'

/** How many body bytes an upload may send, and why it would stop. */
export interface BodyLimits {
  /** `UPLOAD_MAX_BYTES`: beyond it, PayloadTooLargeError (413). */
  maxBytes: number
  /** What is left of the user's stored-bytes quota: beyond it, QuotaExceededError (409). */
  quotaBytes: number | undefined
}

/**
 * Checks a declared length against the limits before anything is read.
 *
 * @throws PayloadTooLargeError, QuotaExceededError, EmptyBodyError (a declared length of 0).
 */
export function checkDeclaredLength(declared: number | undefined, limits: BodyLimits): void {
  if (limits.quotaBytes !== undefined && limits.quotaBytes <= 0) throw quotaError(limits.quotaBytes)
  if (declared === undefined) return
  if (declared === 0) throw new EmptyBodyError()
  if (declared > limits.maxBytes) throw tooLarge(limits.maxBytes)
  if (limits.quotaBytes !== undefined && declared > limits.quotaBytes) {
    throw quotaError(limits.quotaBytes)
  }
}

/**
 * Passes `source` through while counting bytes, and throws the moment a limit is crossed (so the
 * reader stops pulling from the socket). An empty source throws EmptyBodyError before anything
 * downstream starts.
 */
export async function* limitBody(
  source: AsyncIterable<Uint8Array>,
  limits: BodyLimits,
  counter: { bytes: number } = { bytes: 0 },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    if (chunk.byteLength === 0) continue
    counter.bytes += chunk.byteLength
    if (counter.bytes > limits.maxBytes) throw tooLarge(limits.maxBytes)
    if (limits.quotaBytes !== undefined && counter.bytes > limits.quotaBytes) {
      throw quotaError(limits.quotaBytes)
    }
    yield chunk
  }
  if (counter.bytes === 0) throw new EmptyBodyError()
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The upload is larger than the limit of ${maxBytes} bytes`)
}

function quotaError(quotaBytes: number): QuotaExceededError {
  return new QuotaExceededError(
    quotaBytes <= 0
      ? 'The stored-bytes quota is used up'
      : `The upload is larger than the ${quotaBytes} bytes left of the stored-bytes quota`,
  )
}
