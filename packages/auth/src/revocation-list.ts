import {
  ServiceUnavailableError,
  type HealthCheck,
  type Logger,
  type Startable,
} from '@pinion/service-kit'
import { addBounded } from './bounded.js'
import { InvalidTokenError } from './errors.js'
import type { RevocationSource } from './revocation-source.js'

/** `inactive`: the store says the token is not usable (revoked, deleted or never existed). */
export type TokenStatus = 'active' | 'revoked' | 'inactive'

/** What `/readyz` and operators see of the polling loop. */
export interface RevocationListState {
  readonly status: 'stopped' | 'starting' | 'synced' | 'failing'
  /** When the last successful poll started (it reflects the store at least as of then). */
  readonly lastSyncAt: Date | undefined
  readonly consecutiveFailures: number
}

/** Knows, within a bounded delay, whether a token id may still be used. */
export interface RevocationList extends Startable {
  /**
   * The token's status: from the revoked set, a fresh cached lookup, or the store.
   *
   * @throws ServiceUnavailableError when the store must be asked and cannot answer (fail closed).
   */
  status(tokenId: string): Promise<TokenStatus>
  /**
   * Resolves when the token may be used.
   *
   * @throws InvalidTokenError when revoked or unknown; ServiceUnavailableError as {@link status}.
   */
  assertActive(tokenId: string): Promise<void>
  /**
   * Records a revocation pushed from elsewhere (the NATS `pinion.tokens.revoked` subscriber), so
   * this process rejects the token at once instead of at the next poll.
   */
  markRevoked(tokenId: string): void
  state(): RevocationListState
  /** Fails when no poll has succeeded for `staleAfterMs`. */
  readonly healthCheck: HealthCheck
}

/** Timing of the revocation list; the defaults keep every path well under 5 s. */
export interface RevocationListInit {
  /** Pause between polls of `listRevokedSince`, in ms (default 2000, at most 4000). */
  pollIntervalMs?: number
  /** How long an `isActive` answer is reused, in ms (default 2000, at most 4000). */
  cacheTtlMs?: number
  /** How far each poll reaches back before the newest revocation seen, in ms (default 30 s). */
  overlapMs?: number
  /** Most token ids kept in each cache (default 100 000); the oldest are forgotten first. */
  maxEntries?: number
  /** The health check fails after this long without a successful poll (default 3 intervals). */
  staleAfterMs?: number
}

/** Upper bound for intervals that make up the 5 s revocation promise. */
const maxDelayMs = 4000

function checkDelay(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min || value > maxDelayMs)
    throw new RangeError(`${name} must be an integer from ${min} to ${maxDelayMs} ms`)
  return value
}

/**
 * Creates the revocation list every token-checking service runs.
 *
 * Why a revoked token stops working within 5 s: every `active` answer comes from the store at most
 * `cacheTtlMs` (≤ 4 s) ago, whatever else happens; on top of that, a poll every `pollIntervalMs`
 * moves newly revoked ids into a revoked set that overrides cached answers, and `markRevoked` does
 * the same at once. When the store cannot be asked, tokens are refused (503), never waved through.
 *
 * @throws RangeError for an interval outside its bounds.
 */
export function createRevocationList(
  components: { source: RevocationSource; logger: Logger },
  init: RevocationListInit = {},
): RevocationList {
  const { source } = components
  const logger = components.logger.child({ component: 'revocations' })
  const pollIntervalMs = checkDelay('pollIntervalMs', init.pollIntervalMs ?? 2000, 1)
  const cacheTtlMs = checkDelay('cacheTtlMs', init.cacheTtlMs ?? 2000, 0)
  const overlapMs = init.overlapMs ?? 30_000
  const maxEntries = init.maxEntries ?? 100_000
  const staleAfterMs = init.staleAfterMs ?? 3 * pollIntervalMs

  const revoked = new Map<string, true>()
  const lookups = new Map<string, { active: boolean; at: number }>()
  const inflight = new Map<string, Promise<boolean>>()
  let running = false
  let timer: NodeJS.Timeout | undefined
  let currentPoll: Promise<void> | undefined
  // Newest revocation time seen, by the store's clock; polls re-read `overlapMs` before it so rows
  // committed late (a transaction that took a while) are still seen.
  let cursor = 0
  let status: RevocationListState['status'] = 'stopped'
  let lastSyncAt: number | undefined
  let consecutiveFailures = 0

  function remember(tokenId: string): void {
    addBounded(revoked, maxEntries, tokenId, true)
    lookups.delete(tokenId)
  }

  async function poll(): Promise<void> {
    const startedAt = Date.now()
    try {
      const rows = await source.listRevokedSince(new Date(cursor - overlapMs))
      for (const row of rows) {
        remember(row.tokenId)
        cursor = Math.max(cursor, row.revokedAt.getTime())
      }
      if (consecutiveFailures > 0)
        logger.info({ consecutiveFailures }, 'revocation polling recovered')
      lastSyncAt = startedAt
      consecutiveFailures = 0
      status = 'synced'
    } catch (error) {
      consecutiveFailures += 1
      status = 'failing'
      // One warning per outage, not one every interval.
      if (consecutiveFailures === 1) logger.warn({ err: error }, 'revocation polling failed')
      else logger.debug({ err: error, consecutiveFailures }, 'revocation polling still failing')
    }
  }

  function schedule(delayMs: number): void {
    timer = setTimeout(() => {
      currentPoll = poll().finally(() => {
        currentPoll = undefined
        if (running) schedule(pollIntervalMs)
      })
    }, delayMs)
    // The HTTP server keeps a service alive; a forgotten list must not keep a test process alive.
    timer.unref()
  }

  function lookup(tokenId: string): Promise<boolean> {
    let pending = inflight.get(tokenId)
    if (!pending) {
      const askedAt = Date.now()
      pending = source
        .isActive(tokenId)
        .then((active) => {
          // A revocation seen while we asked is newer than this answer.
          if (!revoked.has(tokenId))
            addBounded(lookups, maxEntries, tokenId, { active, at: askedAt })
          return active
        })
        .finally(() => inflight.delete(tokenId))
      inflight.set(tokenId, pending)
    }
    return pending
  }

  async function tokenStatus(tokenId: string): Promise<TokenStatus> {
    if (revoked.has(tokenId)) return 'revoked'
    const cached = lookups.get(tokenId)
    let active: boolean
    if (cached && Date.now() - cached.at < cacheTtlMs) active = cached.active
    else {
      try {
        active = await lookup(tokenId)
      } catch (error) {
        throw new ServiceUnavailableError('Token revocation status cannot be checked right now', {
          cause: error,
        })
      }
    }
    if (revoked.has(tokenId)) return 'revoked'
    return active ? 'active' : 'inactive'
  }

  return {
    name: 'auth-revocations',
    async start() {
      if (running) return
      running = true
      status = 'starting'
      cursor = Date.now()
      schedule(0)
    },
    async stop() {
      running = false
      clearTimeout(timer)
      await currentPoll
      status = 'stopped'
    },
    status: tokenStatus,
    async assertActive(tokenId) {
      const current = await tokenStatus(tokenId)
      if (current === 'revoked') throw new InvalidTokenError('The token has been revoked')
      if (current === 'inactive')
        throw new InvalidTokenError('The token has been revoked or no longer exists')
    },
    markRevoked(tokenId) {
      remember(tokenId)
    },
    state() {
      return {
        status,
        lastSyncAt: lastSyncAt === undefined ? undefined : new Date(lastSyncAt),
        consecutiveFailures,
      }
    },
    healthCheck: {
      name: 'auth-revocations',
      async check() {
        if (!running) throw new Error('revocation list is not running')
        if (lastSyncAt === undefined) throw new Error('revocation list has not synced yet')
        const age = Date.now() - lastSyncAt
        if (age > staleAfterMs) throw new Error(`revocation list last synced ${age} ms ago`)
      },
    },
  }
}
