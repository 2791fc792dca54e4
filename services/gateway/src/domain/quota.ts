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
  /** When the month this usage belongs to ends (ms): the snapshot is stale from then on. */
  monthEnds: number
  limit: bigint | undefined
  /** Database usage this month, plus what was pending here when it was read. */
  used: bigint
  /** `meter.recorded(user)` when it was read: bytes recorded after it are added on top. */
  recordedAt: bigint
  readAt: number
}

/** A user's snapshot being read, and once read, its value (checked without awaiting). */
interface Entry {
  readonly reading: Promise<Snapshot>
  value?: Snapshot
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
  // Read once per request; a Date only when a test supplies the clock.
  const clock = components.now
  const nowMs = clock ? () => clock().getTime() : Date.now
  const entries = new Map<string, Entry>()

  async function read(userId: string, at: Date): Promise<Snapshot> {
    const override = await components.userLimit(userId)
    const limit = override ?? init.defaultLimit
    const recordedAt = components.meter.recorded(userId)
    const pendingAt = components.meter.pending(userId)
    const from = monthStart(at)
    const used = limit === undefined ? 0n : (await components.usedSince(userId, from)) + pendingAt
    const monthEnds = Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1)
    return { monthEnds, limit, used, recordedAt, readAt: at.getTime() }
  }

  const fresh = (value: Snapshot | undefined, at: number): value is Snapshot =>
    value !== undefined && at < value.monthEnds && at - value.readAt < init.cacheMs

  /** The user's snapshot: the cached one while fresh, else one read (shared by concurrent callers). */
  async function snapshot(userId: string, at: number): Promise<Snapshot> {
    const cached = entries.get(userId)
    if (cached !== undefined) {
      const value = await cached.reading.catch(() => undefined)
      if (fresh(value, at)) return value
    }
    const entry: Entry = { reading: read(userId, new Date(at)) }
    entries.set(userId, entry)
    entry.reading.then(
      (value) => (entry.value = value),
      () => entries.get(userId) === entry && entries.delete(userId),
    )
    return entry.reading
  }

  function check(userId: string, current: Snapshot): void {
    if (current.limit === undefined) return
    const used = current.used + (components.meter.recorded(userId) - current.recordedAt)
    if (used >= current.limit)
      throw new QuotaExceededError(
        `Monthly gateway bandwidth used up: ${used} of ${current.limit} bytes`,
      )
  }

  return {
    assertWithinQuota(userId) {
      const at = nowMs()
      const value = entries.get(userId)?.value
      // The common case, a fresh snapshot, is checked at once: no promise to wait for.
      if (fresh(value, at)) {
        try {
          check(userId, value)
          return Promise.resolve()
        } catch (error) {
          return Promise.reject(error)
        }
      }
      return snapshot(userId, at).then((current) => check(userId, current))
    },
  }
}
