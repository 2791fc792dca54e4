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

/**
 * The `GET /pins` answer as JSON text, built by Postgres: the same rows, order and count as
 * {@link listPinRows} and the same PinStatus shape as toPinStatus (only the schema's keys,
 * optional ones only when set, string values only in `meta` and `info`), without decoding 1000
 * rows into objects and encoding them again.
 */
export async function listPinStatusJson(
  db: DbClient,
  userId: string,
  filters: PinListFilters,
  delegates: readonly string[],
): Promise<string> {
  const where = whereClause(userId, filters)
  const [page, counted] = await Promise.all([
    db.$queryRaw<{ results: string }[]>`
      WITH page AS (
        SELECT id, cid, name, meta, status, info, created, origins FROM pins WHERE ${where}
        ORDER BY created DESC
        LIMIT ${filters.limit}
      ), shaped AS (
        SELECT created, jsonb_build_object(
          'requestid', id,
          'status', status,
          'created', to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'pin', jsonb_strip_nulls(jsonb_build_object(
            'cid', cid,
            'name', name,
            'origins', CASE WHEN cardinality(origins) > 0 THEN to_jsonb(origins[1:20]) END,
            'meta', (SELECT jsonb_object_agg(key, value) FROM jsonb_each(
              CASE WHEN jsonb_typeof(meta) = 'object' THEN meta ELSE '{}'::jsonb END
            ) WHERE jsonb_typeof(value) = 'string')
          )),
          'delegates', ${JSON.stringify(delegates)}::jsonb
        ) || coalesce((
          SELECT jsonb_build_object('info', jsonb_object_agg(key, value)) FROM jsonb_each(
            CASE WHEN jsonb_typeof(info) = 'object' THEN info ELSE '{}'::jsonb END
          ) WHERE jsonb_typeof(value) = 'string'
          HAVING count(*) > 0
        ), '{}'::jsonb) AS status
        FROM page
      )
      SELECT coalesce(json_agg(status ORDER BY created DESC), '[]'::json)::text AS results
      FROM shaped`,
    db.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM pins WHERE ${where}`,
  ])
  return `{"count":${Number(counted[0]?.count ?? 0n)},"results":${page[0]?.results ?? '[]'}}`
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
