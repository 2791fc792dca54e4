import { describe, expect, it } from 'vitest'
import { createAttemptLimiter } from './attempt-limiter.js'

describe('createAttemptLimiter', () => {
  it('refuses after maxAttempts failures until the window ends', () => {
    const limiter = createAttemptLimiter({ maxAttempts: 2, windowMs: 10_000 })
    expect(limiter.retryAfter('k', 0)).toBe(0)
    limiter.fail('k', 0)
    expect(limiter.retryAfter('k', 1)).toBe(0)
    limiter.fail('k', 1000)
    expect(limiter.retryAfter('k', 1000)).toBe(9)
    expect(limiter.retryAfter('other', 1000)).toBe(0)
    expect(limiter.retryAfter('k', 10_000)).toBe(0)
  })

  it('forgets a key on reset and the oldest keys beyond maxKeys', () => {
    const limiter = createAttemptLimiter({ maxAttempts: 1, windowMs: 10_000, maxKeys: 2 })
    limiter.fail('a', 0)
    limiter.fail('b', 0)
    limiter.reset('b')
    expect(limiter.retryAfter('b', 0)).toBe(0)
    limiter.fail('c', 0)
    limiter.fail('d', 0)
    expect(limiter.retryAfter('a', 0)).toBe(0)
    expect(limiter.retryAfter('d', 0)).toBe(10)
  })
})
