/**
 * Usage counters: one row per (user, metric, UTC day), incremented with an atomic upsert so that
 * any number of services and replicas can meter at once without losing an increment.
 */
import type { DbClient } from '../db-client.js'
import { isUuid } from '../db-client.js'
import { mergeUsageDeltas, type UsageDelta, type UsageMetric } from '../usage-period.js'

/**
 * Adds `delta` to a user's metric for the UTC day of `at`.
 *
 * @throws RangeError for a non-integer delta; a Prisma error when the user does not exist.
 */
export async function addUsage(
  db: DbClient,
  userId: string,
  metric: UsageMetric,
  delta: bigint | number,
  at = new Date(),
): Promise<void> {
  await addUsageBatch(db, [{ userId, metric, delta, at }])
}

/**
 * Adds many deltas (any users, metrics, days) in one statement: equal keys are summed first and
 * rows are written in a fixed order, so concurrent batches neither collide nor deadlock. Use it
 * to flush counters a service accumulated in memory (e.g. gateway bytes every few seconds).
 *
 * @returns the number of rows written.
 * @throws RangeError for a non-integer delta; a Prisma error when a user does not exist.
 */
export async function addUsageBatch(db: DbClient, deltas: readonly UsageDelta[]): Promise<number> {
  const rows = mergeUsageDeltas(deltas)
  if (rows.length === 0) return 0
  return db.$executeRaw`
    INSERT INTO usage_counters (user_id, metric, period_start, value)
    SELECT * FROM unnest(
      ${rows.map((row) => row.userId)}::uuid[],
      ${rows.map((row) => row.metric)}::text[],
      ${rows.map((row) => row.periodStart)}::date[],
      ${rows.map((row) => row.delta.toString())}::bigint[]
    )
    ON CONFLICT (user_id, metric, period_start) DO UPDATE SET
      value = usage_counters.value + EXCLUDED.value,
      updated_at = now()`
}

/**
 * The sum of a user's metric over the UTC days from `from` to `to` inclusive (both default to
 * unbounded), e.g. this month's gateway bytes for a quota check, or all time for stored bytes.
 */
export async function sumUsage(
  db: DbClient,
  userId: string,
  metric: UsageMetric,
  range: { from?: Date; to?: Date } = {},
): Promise<bigint> {
  if (!isUuid(userId)) return 0n
  const result = await db.usageCounter.aggregate({
    where: {
      userId,
      metric,
      periodStart: {
        ...(range.from === undefined ? {} : { gte: utcDay(range.from) }),
        ...(range.to === undefined ? {} : { lte: utcDay(range.to) }),
      },
    },
    _sum: { value: true },
  })
  return result._sum.value ?? 0n
}

function utcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()))
}
