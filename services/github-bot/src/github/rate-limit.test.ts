import { describe, expect, it } from 'vitest'
import { GithubRateLimitedError, rateLimitWaitMs, withRateLimitRetry } from './rate-limit.js'

const httpError = (status: number, headers: Record<string, string> = {}, message = '') =>
  Object.assign(new Error(message), { status, response: { headers } })

describe('rateLimitWaitMs', () => {
  const now = 1_700_000_000_000
  it('reads retry-after, x-ratelimit-reset, and the secondary-limit message', () => {
    expect(rateLimitWaitMs(httpError(429, { 'retry-after': '7' }), now)).toBe(7000)
    expect(
      rateLimitWaitMs(
        httpError(403, {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(now / 1000 + 30),
        }),
        now,
      ),
    ).toBe(30_000)
    expect(
      rateLimitWaitMs(httpError(403, {}, 'You have exceeded a secondary rate limit'), now),
    ).toBe(60_000)
  })
  it('is undefined for other failures, including a plain 403', () => {
    expect(rateLimitWaitMs(httpError(403, { 'x-ratelimit-remaining': '12' }), now)).toBeUndefined()
    expect(rateLimitWaitMs(httpError(500), now)).toBeUndefined()
    expect(rateLimitWaitMs(new Error('network'), now)).toBeUndefined()
  })
})

describe('withRateLimitRetry', () => {
  it('waits as asked and retries, telling the hook each time', async () => {
    const waits: number[] = []
    const notices: number[] = []
    let calls = 0
    const result = await withRateLimitRetry(
      async () => {
        calls += 1
        if (calls < 3) throw httpError(429, { 'retry-after': String(calls) })
        return 'ok'
      },
      {
        retries: 3,
        maxWaitMs: 10_000,
        sleep: async (ms) => void waits.push(ms),
        onRateLimit: (notice) => void notices.push(notice.attempt),
      },
    )
    expect(result).toBe('ok')
    expect(waits).toEqual([1000, 2000])
    expect(notices).toEqual([1, 2])
  })

  it('gives up after the retries, or when asked to wait longer than allowed', async () => {
    const limited = () => Promise.reject(httpError(429, { 'retry-after': '1' }))
    const sleep = async () => undefined
    await expect(
      withRateLimitRetry(limited, { retries: 2, maxWaitMs: 10_000, sleep }),
    ).rejects.toThrow(GithubRateLimitedError)
    await expect(
      withRateLimitRetry(() => Promise.reject(httpError(429, { 'retry-after': '3600' })), {
        retries: 2,
        maxWaitMs: 1000,
        sleep,
      }),
    ).rejects.toThrow('GitHub asks to wait 3600 s, more than the 1 s allowed')
  })

  it('passes other errors through untouched', async () => {
    const failure = httpError(404)
    await expect(
      withRateLimitRetry(() => Promise.reject(failure), { retries: 3, maxWaitMs: 1000 }),
    ).rejects.toBe(failure)
  })
})
