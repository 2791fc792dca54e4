import { QuotaExceededError } from '@pinion/service-kit'
import type { UsageMeter } from './usage-meter.js'

/** Refuses requests of users who used up their monthly gateway bandwidth. */
export interface QuotaGuard {
  /** @throws QuotaExceededError (409 INSUFFICIENT_FUNDS) when the user's month is used up. */
  assertWithinQuota(userId: string): Promise<void>
}

/** Where the guard reads limits and usage from. */
export interface QuotaComponents {
  meter: Pick<UsageMeter, 'pending' | 'recorded'>
  /** The user's override (`users.max_gateway_bytes_per_month`); null: the default applies. */
  userLimit(userId: string): Promise<bigint | null>
  /** Gateway bytes written to the database for the user since `from` (a UTC month start). */
  usedSince(userId: string, from: Date): Promise<bigint>
  now?: () => Date
}

/** Settings of the guard. */
export interface QuotaInit {
  /** Monthly bytes per user when the user has no override; undefined: unlimited. */
  defaultLimit: bigint | undefined
  /** How long a user's limit and database usage are reused, in milliseconds. */
  cacheMs: number
}

interface Snapshot {
  month: string
  limit: bigint | undefined
  /** Database usage this month, plus what was pending here when it was read. */
  used: bigint
  /** `meter.recorded(user)` when it was read: bytes recorded after it are added on top. */
  recordedAt: bigint
  readAt: number
}

function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
}

/**
 * Creates the quota guard. The limit is a soft one: usage comes from the database (cached for
 * `cacheMs`) plus every byte this process served since, so a user goes over by at most the
 * responses in flight and what other replicas served within the cache window.
 */
export function createQuotaGuard(components: QuotaComponents, init: QuotaInit): QuotaGuard {
  const now = components.now ?? (() => new Date())
  const snapshots = new Map<string, Promise<Snapshot>>()

  async function read(userId: string, at: Date): Promise<Snapshot> {
    const override = await components.userLimit(userId)
    const limit = override ?? init.defaultLimit
    const recordedAt = components.meter.recorded(userId)
    const pendingAt = components.meter.pending(userId)
    const used =
      limit === undefined ? 0n : (await components.usedSince(userId, monthStart(at))) + pendingAt
    return { month: monthStart(at).toISOString(), limit, used, recordedAt, readAt: at.getTime() }
  }

  async function snapshot(userId: string): Promise<Snapshot> {
    const at = now()
    const cached = snapshots.get(userId)
    if (cached !== undefined) {
      const value = await cached.catch(() => undefined)
      if (
        value !== undefined &&
        value.month === monthStart(at).toISOString() &&
        at.getTime() - value.readAt < init.cacheMs
      )
        return value
    }
    const fresh = read(userId, at)
    snapshots.set(userId, fresh)
    fresh.catch(() => snapshots.delete(userId))
    return fresh
  }

  return {
    async assertWithinQuota(userId) {
      const current = await snapshot(userId)
      if (current.limit === undefined) return
      const used = current.used + (components.meter.recorded(userId) - current.recordedAt)
      if (used >= current.limit)
        throw new QuotaExceededError(
          `Monthly gateway bandwidth used up: ${used} of ${current.limit} bytes`,
        )
    },
  }
}
