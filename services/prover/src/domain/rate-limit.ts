/**
 * A fixed-window request counter per client address and per key for the unauthenticated
 * `POST /prover/prove` (storage-proofs.md §2.7: "rate-limit by key and by IP"). In memory: each
 * replica limits on its own, which bounds the CPU one client can take from it.
 */

/** The outcome of one request against the limiter. */
export type RateDecision =
  { readonly ok: true } | { readonly ok: false; readonly retryAfterS: number }

/** Counts requests per name within fixed windows. */
export interface RateLimiter {
  /** Counts one request for `name`; refuses once `limit` were counted in the current window. */
  take(name: string, now?: number): RateDecision
}

/** A limiter of `limit` requests per `windowMs` per name. */
export function createRateLimiter(init: { limit: number; windowMs: number }): RateLimiter {
  let windowStart = 0
  let counts = new Map<string, number>()
  return {
    take(name, now = Date.now()) {
      if (now - windowStart >= init.windowMs) {
        windowStart = now - ((now - windowStart) % init.windowMs)
        if (now - windowStart >= init.windowMs) windowStart = now
        counts = new Map()
      }
      const count = (counts.get(name) ?? 0) + 1
      if (count > init.limit)
        return {
          ok: false,
          retryAfterS: Math.max(1, Math.ceil((windowStart + init.windowMs - now) / 1000)),
        }
      counts.set(name, count)
      return { ok: true }
    },
  }
}
