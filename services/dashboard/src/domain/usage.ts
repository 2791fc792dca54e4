import { isUuid, sumUsage, usagePeriodStart, type PrismaClient } from '@pinion/db'

/** One day of the usage charts. */
export interface UsageDay {
  date: string
  storedBytes: number
  pinCount: number
  gatewayBytes: number
}

/** What the Usage page shows. */
export interface UsageReport {
  days: UsageDay[]
  totals: { storedBytes: number; pinCount: number; gatewayBytesThisMonth: number }
  limits: {
    maxPins: number | null
    maxStoredBytes: number | null
    maxGatewayBytesPerMonth: number | null
  }
}

const dayMs = 86_400_000

/**
 * The user's usage over the last `days` UTC days (today included): stored bytes at the end of each
 * day (the `stored_bytes` counters are daily deltas of a gauge, so a running sum), live pins at the
 * end of each day (from the pins table), and gateway bytes served that day. Byte counts are JSON
 * numbers: exact up to 8 PiB.
 */
export async function usageReport(
  prisma: PrismaClient,
  userId: string,
  init: { days: number; defaultGatewayLimit: bigint | undefined; now?: Date },
): Promise<UsageReport> {
  const now = init.now ?? new Date()
  const today = usagePeriodStart(now)
  const first = usagePeriodStart(new Date(Date.parse(today) - (init.days - 1) * dayMs))
  const user = isUuid(userId) ? await prisma.user.findUnique({ where: { id: userId } }) : null
  if (user === null) throw new RangeError('unknown user')
  const rows = await prisma.$queryRaw<
    { day: Date; stored: bigint; pins: bigint; gateway: bigint }[]
  >`
    WITH days AS (
      SELECT generate_series(${first}::date, ${today}::date, interval '1 day')::date AS day
    )
    SELECT d.day,
      (SELECT coalesce(sum(value), 0) FROM usage_counters
        WHERE user_id = ${userId}::uuid AND metric = 'stored_bytes' AND period_start <= d.day)::bigint AS stored,
      (SELECT count(*) FROM pins
        WHERE user_id = ${userId}::uuid AND created < d.day + 1
          AND (deleted_at IS NULL OR deleted_at >= d.day + 1))::bigint AS pins,
      (SELECT coalesce(sum(value), 0) FROM usage_counters
        WHERE user_id = ${userId}::uuid AND metric = 'gateway_bytes' AND period_start = d.day)::bigint AS gateway
    FROM days d ORDER BY d.day`
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
  const [stored, pinCount, gatewayMonth] = await Promise.all([
    sumUsage(prisma, userId, 'stored_bytes'),
    prisma.pin.count({ where: { userId, deletedAt: null } }),
    sumUsage(prisma, userId, 'gateway_bytes', { from: monthStart }),
  ])
  const num = (value: bigint | null | undefined) => (value == null ? null : Number(value))
  return {
    days: rows.map((row) => ({
      date: row.day.toISOString().slice(0, 10),
      storedBytes: Number(row.stored),
      pinCount: Number(row.pins),
      gatewayBytes: Number(row.gateway),
    })),
    totals: {
      storedBytes: Number(stored),
      pinCount,
      gatewayBytesThisMonth: Number(gatewayMonth),
    },
    limits: {
      maxPins: user.maxPins,
      maxStoredBytes: num(user.maxStoredBytes),
      maxGatewayBytesPerMonth: num(user.maxGatewayBytesPerMonth ?? init.defaultGatewayLimit),
    },
  }
}
