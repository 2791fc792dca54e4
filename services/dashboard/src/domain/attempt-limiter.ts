/**
 * Counts failed sign-ins per key (e-mail + client address) in fixed windows. In memory: each
 * dashboard replica throttles on its own, so N replicas allow at most N × the limit per window;
 * enough to make online guessing useless at argon2's cost per guess.
 */
export interface AttemptLimiter {
  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string, now?: number): number
  /** Records one failed attempt. */
  fail(key: string, now?: number): void
  /** Forgets `key` (a successful sign-in). */
  reset(key: string): void
}

export function createAttemptLimiter(init: {
  maxAttempts: number
  windowMs: number
  maxKeys?: number
}): AttemptLimiter {
  const maxKeys = init.maxKeys ?? 100_000
  const windows = new Map<string, { start: number; failures: number }>()
  const current = (key: string, now: number) => {
    const window = windows.get(key)
    if (window === undefined || now - window.start >= init.windowMs) return undefined
    return window
  }
  return {
    retryAfter(key, now = Date.now()) {
      const window = current(key, now)
      if (window === undefined || window.failures < init.maxAttempts) return 0
      return Math.max(1, Math.ceil((window.start + init.windowMs - now) / 1000))
    },
    fail(key, now = Date.now()) {
      const window = current(key, now) ?? { start: now, failures: 0 }
      window.failures += 1
      windows.delete(key)
      windows.set(key, window)
      // Oldest first: Map keeps insertion order, and each failure re-inserts its key.
      while (windows.size > maxKeys) {
        const oldest = windows.keys().next().value
        if (oldest === undefined) break
        windows.delete(oldest)
      }
    },
    reset(key) {
      windows.delete(key)
    },
  }
}
