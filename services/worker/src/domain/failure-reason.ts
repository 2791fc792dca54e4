import { ContentUnavailableError, FetchTimeoutError } from '@pinion/blockstore'
import { isPermanentError } from '@pinion/messaging'

/** `info.reason` of a pin that ran out of time. */
export const deadlineExceeded = 'deadline exceeded'

/**
 * The `info.reason` a pin fails with for this error, or undefined when the error is transient
 * (database or NATS down, Kubo unreachable, shutting down) and the request should be retried.
 */
export function failureReason(error: unknown): string | undefined {
  if (error instanceof FetchTimeoutError) return deadlineExceeded
  if (error instanceof ContentUnavailableError) return error.details ?? error.message
  if (isPermanentError(error) && error instanceof Error) {
    return (error as Error & { details?: string }).details ?? error.message
  }
  return undefined
}
