import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './rate-limit.js'

describe('createRateLimiter', () => {
  it('allows `limit` requests per name and window, then tells when to retry', () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000 })
    expect(limiter.take('a', 1000)).toEqual({ ok: true })
    expect(limiter.take('a', 2000)).toEqual({ ok: true })
    expect(limiter.take('b', 2000)).toEqual({ ok: true })
    expect(limiter.take('a', 31_000)).toEqual({ ok: false, retryAfterS: 29 })
    expect(limiter.take('a', 60_000)).toEqual({ ok: true })
  })
})
