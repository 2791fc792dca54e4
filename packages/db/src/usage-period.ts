/**
 * Pure helpers for usage counters: which daily bucket a moment falls in, and folding many deltas
 * into one per row (a batch upsert may not touch the same row twice).
 */

/** The metrics Pinion meters; counters are generic, these are the names services use. */
export type UsageMetric = 'gateway_bytes' | 'upload_bytes' | 'stored_bytes' | 'pin_count'

/** One increment (or, for gauges such as stored_bytes, decrement) of a user's metric. */
export interface UsageDelta {
  userId: string
  metric: UsageMetric
  /** Units of the metric (bytes, pins); may be negative. */
  delta: bigint | number
  /** When it happened; picks the UTC day. Defaults to now. */
  at?: Date
}

/**
 * The UTC day `at` falls in, as `YYYY-MM-DD` (the `period_start` bucket).
 *
 * @throws RangeError for an invalid date.
 */
export function usagePeriodStart(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('Invalid usage timestamp')
  return at.toISOString().slice(0, 10)
}

/** One row's worth of summed deltas. */
export interface UsageRowDelta {
  userId: string
  metric: UsageMetric
  periodStart: string
  delta: bigint
}

/**
 * Sums deltas per (user, metric, day) and sorts the rows by that key, so that concurrent batches
 * lock rows in the same order and cannot deadlock. Rows whose deltas cancel out are dropped.
 *
 * @throws RangeError when a delta is not an integer.
 */
export function mergeUsageDeltas(deltas: readonly UsageDelta[], now = new Date()): UsageRowDelta[] {
  const rows = new Map<string, UsageRowDelta>()
  for (const entry of deltas) {
    if (typeof entry.delta === 'number' && !Number.isSafeInteger(entry.delta)) {
      throw new RangeError(`Usage delta must be an integer, got ${entry.delta}`)
    }
    const periodStart = usagePeriodStart(entry.at ?? now)
    const key = `${entry.userId}\0${entry.metric}\0${periodStart}`
    const row = rows.get(key) ?? {
      userId: entry.userId,
      metric: entry.metric,
      periodStart,
      delta: 0n,
    }
    row.delta += BigInt(entry.delta)
    rows.set(key, row)
  }
  return [...rows.entries()]
    .filter(([, row]) => row.delta !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row)
}
