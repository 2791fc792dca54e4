import type { Logger } from '@pinion/service-kit'
import { addBounded } from './bounded.js'

/** Records that a token was used (the db package updates `api_tokens.last_used_at`). */
export type RecordLastUsed = (tokenId: string, usedAt: Date) => Promise<void> | void

/** Tells the store a token was used, at most once per interval per token. */
export interface LastUsedTracker {
  /** Notes a use; reports it unless this token was reported less than an interval ago. */
  touch(tokenId: string): void
}

/** How often a token's use is reported. */
export interface LastUsedInit {
  /** Minimum time between two reports for one token, in ms (default 60 000). */
  intervalMs?: number
  /** Most token ids remembered (default 100 000); the least recently reported go first. */
  maxEntries?: number
}

/**
 * Creates a {@link LastUsedTracker}. The first use of a token is reported at once, later ones only
 * after `intervalMs`, so "last used" is at most one interval stale and a busy token costs one write
 * a minute instead of one per request. Reports are fire-and-forget: a failing store is logged and
 * never fails the request.
 */
export function createLastUsedTracker(
  components: { record: RecordLastUsed; logger: Logger },
  init: LastUsedInit = {},
): LastUsedTracker {
  const intervalMs = init.intervalMs ?? 60_000
  const maxEntries = init.maxEntries ?? 100_000
  const logger = components.logger.child({ component: 'last-used' })
  const reportedAt = new Map<string, number>()
  return {
    touch(tokenId) {
      const now = Date.now()
      const last = reportedAt.get(tokenId)
      if (last !== undefined && now - last < intervalMs) return
      addBounded(reportedAt, maxEntries, tokenId, now)
      Promise.resolve()
        .then(() => components.record(tokenId, new Date(now)))
        .catch((error: unknown) =>
          logger.warn({ err: error, tokenId }, 'recording last use failed'),
        )
    },
  }
}
