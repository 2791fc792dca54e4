/**
 * `GET /pins` in SQL: one statement for the page and one for `count`, sharing every filter
 * (including `before`/`after`, which Kubo's paging loop depends on). `created` is unique per user,
 * so `ORDER BY created DESC` with `before` = the oldest seen is an exact keyset: no pin is skipped
 * or repeated between pages. Soft-deleted rows never appear.
 */
import { Prisma, type DbClient } from '@pinion/db'
import type { PinRow } from './pin-status.js'
import type { PinListFilters } from './schemas.js'

export interface PinPage {
  /** Every live pin of the user matching the filters, ignoring `limit`. */
  readonly count: number
  /** At most `limit` of them, newest first. */
  readonly rows: PinRow[]
}

export async function listPinRows(
  db: DbClient,
  userId: string,
  filters: PinListFilters,
): Promise<PinPage> {
  const where = whereClause(userId, filters)
  const [rows, counted] = await Promise.all([
    db.$queryRaw<PinRow[]>`
      SELECT id::text AS id, cid, name, meta, status::text AS status, info, created, origins
      FROM pins WHERE ${where}
      ORDER BY created DESC
      LIMIT ${filters.limit}`,
    db.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM pins WHERE ${where}`,
  ])
  return { count: Number(counted[0]?.count ?? 0n), rows }
}

function whereClause(userId: string, filters: PinListFilters): Prisma.Sql {
  const conditions: Prisma.Sql[] = [
    Prisma.sql`user_id = ${userId}::uuid`,
    Prisma.sql`deleted_at IS NULL`,
    Prisma.sql`status = ANY(${[...filters.statuses]}::"PinStatus"[])`,
  ]
  if (filters.cidKeys !== undefined) {
    conditions.push(Prisma.sql`cid_key = ANY(${[...filters.cidKeys]}::text[])`)
  }
  if (filters.name !== undefined) conditions.push(nameCondition(filters.name, filters.match))
  if (filters.before !== undefined) {
    conditions.push(Prisma.sql`created < ${filters.before.text}::timestamptz`)
  }
  if (filters.after !== undefined) {
    conditions.push(Prisma.sql`created > ${filters.after.text}::timestamptz`)
  }
  if (filters.meta !== undefined && Object.keys(filters.meta).length > 0) {
    // Containment is AND across keys, and the jsonb_path_ops index answers it.
    conditions.push(Prisma.sql`meta @> ${JSON.stringify(filters.meta)}::jsonb`)
  }
  return Prisma.join(conditions, ' AND ')
}

function nameCondition(name: string, match: PinListFilters['match']): Prisma.Sql {
  switch (match) {
    case 'exact':
      return Prisma.sql`name = ${name}`
    case 'iexact':
      return Prisma.sql`lower(name) = lower(${name})`
    case 'partial':
      return Prisma.sql`name LIKE ${`%${escapeLike(name)}%`}`
    case 'ipartial':
      return Prisma.sql`name ILIKE ${`%${escapeLike(name)}%`}`
  }
}

/** LIKE treats `%`, `_` and `\` specially; a name filter means them literally. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`)
}
