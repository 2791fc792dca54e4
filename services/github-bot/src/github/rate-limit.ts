import { AppError } from '@pinion/service-kit'
import type { RateLimitNotice } from '../domain/github-api.js'

/** GitHub kept answering "rate limited", or asked for a longer wait than configured. */
export class GithubRateLimitedError extends AppError {
  constructor(details: string, cause?: unknown) {
    super('TOO_MANY_REQUESTS', { details, cause })
  }
}

interface HttpErrorLike {
  status: number
  response?: { headers?: Record<string, string | number | undefined> }
  message?: string
}

function isHttpError(error: unknown): error is HttpErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as HttpErrorLike).status === 'number'
  )
}

/**
 * How long GitHub asks us to wait, in ms, when `error` is a rate-limit answer; `undefined`
 * otherwise. Primary limits: 403/429 with `x-ratelimit-remaining: 0` (wait until
 * `x-ratelimit-reset`). Secondary limits: 403/429 with `retry-after` (seconds), or a 403 whose
 * message says so (GitHub's docs: wait at least a minute then).
 */
export function rateLimitWaitMs(error: unknown, now = Date.now()): number | undefined {
  if (!isHttpError(error) || (error.status !== 403 && error.status !== 429)) return undefined
  const headers = error.response?.headers ?? {}
  const retryAfter = Number(headers['retry-after'])
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) {
    return Math.max(0, retryAfter * 1000)
  }
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset'])
    return Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) : 60_000
  }
  if (error.status === 429 || /rate limit/i.test(error.message ?? '')) return 60_000
  return undefined
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number
  /** Longest single wait honoured. */
  readonly maxWaitMs: number
  readonly onRateLimit?: ((notice: RateLimitNotice) => void | Promise<void>) | undefined
  readonly sleep?: (ms: number) => Promise<void>
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Runs `call`, waiting and retrying as GitHub asks while it answers "rate limited". */
export async function withRateLimitRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call()
    } catch (error) {
      const waitMs = rateLimitWaitMs(error)
      if (waitMs === undefined) throw error
      if (attempt > policy.retries) {
        throw new GithubRateLimitedError(
          `GitHub is still rate-limiting after ${policy.retries} retries`,
          error,
        )
      }
      if (waitMs > policy.maxWaitMs) {
        throw new GithubRateLimitedError(
          `GitHub asks to wait ${Math.ceil(waitMs / 1000)} s, more than the ${Math.ceil(policy.maxWaitMs / 1000)} s allowed`,
          error,
        )
      }
      await policy.onRateLimit?.({ status: (error as HttpErrorLike).status, waitMs, attempt })
      await sleep(waitMs)
    }
  }
}
