import type { UsageDelta } from '@pinion/db'
import type { Logger, Startable } from '@pinion/service-kit'

/** Counts the bytes the gateway serves per user and writes them to the database in batches. */
export interface UsageMeter extends Startable {
  /** Adds bytes served to `userId`; in memory only (no database write per request). */
  record(userId: string, bytes: number): void
  /** Bytes recorded for `userId` and not yet written. */
  pending(userId: string): bigint
  /** Every byte recorded for `userId` by this process since it started (never decreases). */
  recorded(userId: string): bigint
  /** Writes what is pending now (also run on an interval and at stop). */
  flush(): Promise<void>
}

/** What the meter writes through: `addUsageBatch` over the database, or a fake in unit tests. */
export interface UsageMeterComponents {
  logger: Logger
  writeBatch(deltas: readonly UsageDelta[]): Promise<unknown>
  /** Whether a write failure means "try again later" (database down) rather than bad data. */
  isTransient(error: unknown): boolean
}

/** Settings of the meter. */
export interface UsageMeterInit {
  /** Milliseconds between flushes. */
  flushMs: number
}

/**
 * Creates the gateway's bandwidth meter: `gateway_bytes` per user, summed in memory and flushed
 * with one batched upsert every `flushMs` and at stop. A failed flush keeps its deltas for the
 * next one; when a batch fails for a reason other than the database being down (a user deleted
 * meanwhile), users are written one by one so that one bad row cannot block the others.
 */
export function createUsageMeter(
  components: UsageMeterComponents,
  init: UsageMeterInit,
): UsageMeter {
  const logger = components.logger.child({ component: 'usage-meter' })
  let pending = new Map<string, bigint>()
  const totals = new Map<string, bigint>()
  let timer: NodeJS.Timeout | undefined
  let flushing: Promise<void> | undefined

  const requeue = (userId: string, bytes: bigint): void => {
    pending.set(userId, (pending.get(userId) ?? 0n) + bytes)
  }

  const deltaOf = (userId: string, bytes: bigint): UsageDelta => ({
    userId,
    metric: 'gateway_bytes',
    delta: bytes,
  })

  async function writeEach(batch: Map<string, bigint>): Promise<void> {
    for (const [userId, bytes] of batch) {
      try {
        await components.writeBatch([deltaOf(userId, bytes)])
      } catch (error) {
        if (components.isTransient(error)) requeue(userId, bytes)
        else logger.error({ err: error, userId, bytes: String(bytes) }, 'gateway usage dropped')
      }
    }
  }

  async function write(): Promise<void> {
    if (pending.size === 0) return
    const batch = pending
    pending = new Map()
    try {
      await components.writeBatch([...batch].map(([userId, bytes]) => deltaOf(userId, bytes)))
    } catch (error) {
      if (components.isTransient(error)) {
        logger.warn({ err: error, users: batch.size }, 'gateway usage flush failed; retrying later')
        for (const [userId, bytes] of batch) requeue(userId, bytes)
        return
      }
      await writeEach(batch)
    }
  }

  const meter: UsageMeter = {
    name: 'gateway-usage-meter',
    record(userId, bytes) {
      if (bytes <= 0) return
      const delta = BigInt(bytes)
      pending.set(userId, (pending.get(userId) ?? 0n) + delta)
      totals.set(userId, (totals.get(userId) ?? 0n) + delta)
    },
    pending: (userId) => pending.get(userId) ?? 0n,
    recorded: (userId) => totals.get(userId) ?? 0n,
    async flush() {
      // One flush at a time; a caller arriving mid-flush waits for it and then flushes again,
      // so that what it recorded before calling is written when it returns.
      while (flushing !== undefined) await flushing
      flushing = write().finally(() => {
        flushing = undefined
      })
      await flushing
    },
    async start() {
      timer = setInterval(() => {
        meter.flush().catch((error: unknown) => logger.error({ err: error }, 'usage flush crashed'))
      }, init.flushMs)
      timer.unref()
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
      await meter.flush()
    },
  }
  return meter
}
