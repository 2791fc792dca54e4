import { cidReferenceCount, createBatcher, isUuid, Prisma, type PrismaClient } from '@pinion/db'
import type { PinStatusValue } from '@pinion/messaging'
import type { PinRecord, PinRecords, SweepRecords } from '../domain/pin-records.js'

/** The columns the worker reads, as raw SQL returns them. */
interface PinRow {
  id: string
  userId: string
  cid: string
  cidKey: string
  status: PinStatusValue
  origins: string[]
  deletedAt: Date | null
  replacedById: string | null
  deadlineAt: Date | null
  dagSize: bigint | number | null
  info: unknown
  attempts: number
  created: Date
}

const columnsOf = (table: string) =>
  Prisma.raw(`${table}.id::text AS id, ${table}.user_id::text AS "userId", ${table}.cid,
  ${table}.cid_key AS "cidKey", ${table}.status::text AS status, ${table}.origins,
  ${table}.deleted_at AS "deletedAt", ${table}.replaced_by_id::text AS "replacedById",
  ${table}.deadline_at AS "deadlineAt", ${table}.dag_size AS "dagSize", ${table}.info,
  ${table}.attempts, ${table}.created`)
const columns = columnsOf('pins')

function stringMap(value: unknown): Record<string, string> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  )
}

function toRecord(row: PinRow): PinRecord {
  return {
    ...row,
    dagSize: row.dagSize === null ? null : Number(row.dagSize),
    info: stringMap(row.info),
  }
}

type StartedRow = PinRow & { previous: PinStatusValue }

/** One result per item, by id; an id repeated in the batch gets its row only the first time. */
function firstCallerGets<R extends { id: string }>(
  items: readonly { id: string }[],
  rows: readonly R[],
): (R | undefined)[] {
  const byId = new Map(rows.map((row) => [row.id, row]))
  return items.map((item) => {
    // Postgres answers UUIDs in lower case.
    const id = item.id.toLowerCase()
    const row = byId.get(id)
    byId.delete(id)
    return row
  })
}

// A pin the worker may still move: not deleted, not replaced, not final. Qualified, so it also
// reads right in statements that join `pins` with rows of the same column names.
const pending = Prisma.sql`pins.deleted_at IS NULL AND pins.replaced_by_id IS NULL
  AND pins.status IN ('queued', 'pinning')`

/**
 * {@link PinRecords} and {@link SweepRecords} on Postgres. Transitions are single conditional
 * statements (`… WHERE <pending> RETURNING`), so two workers holding the same request race
 * harmlessly: one wins, the other sees no row.
 */
export function createPrismaPinRecords(prisma: PrismaClient): PinRecords & SweepRecords {
  const many = async (query: Prisma.Sql) => (await prisma.$queryRaw<PinRow[]>(query)).map(toRecord)
  const one = async (query: Prisma.Sql) => (await many(query))[0]

  // The two transitions every pin makes go through group commit: the handlers running at once
  // share one statement (and one commit) per transition. One id twice in a batch (a redelivery
  // racing its first delivery) moves once, and only its first caller gets the row, as if the two
  // had run one after the other.
  const starts = createBatcher<{ id: string; defaultDeadline: Date }, StartedRow | undefined>(
    async (items) => {
      const rows = await prisma.$queryRaw<StartedRow[]>`
        WITH input AS (
          SELECT DISTINCT ON (id) id, default_deadline
          FROM unnest(${items.map((item) => item.id)}::uuid[],
                      ${items.map((item) => item.defaultDeadline.toISOString())}::timestamptz[])
            AS t(id, default_deadline)
        ), before AS (
          SELECT pins.id, pins.status, input.default_deadline FROM pins JOIN input USING (id)
          ORDER BY pins.id FOR UPDATE OF pins
        )
        UPDATE pins SET status = 'pinning',
          deadline_at = COALESCE(pins.deadline_at, before.default_deadline), updated_at = now()
        FROM before
        WHERE pins.id = before.id AND ${pending}
        RETURNING ${columns}, before.status::text AS previous`
      return firstCallerGets(items, rows)
    },
  )

  // The pin's status and its CID's size change together or not at all.
  const pinnings = createBatcher<{ id: string; dagSize: number }, PinRow | undefined>(
    async (items) => {
      const rows = await prisma.$queryRaw<PinRow[]>`
        WITH input AS (
          SELECT DISTINCT ON (id) id, dag_size
          FROM unnest(${items.map((item) => item.id)}::uuid[],
                      ${items.map((item) => String(item.dagSize))}::bigint[]) AS t(id, dag_size)
        ), pinned AS (
          UPDATE pins SET status = 'pinned', dag_size = input.dag_size, updated_at = now()
          FROM input
          WHERE pins.id = input.id AND ${pending}
          RETURNING ${columns}
        ), sized AS (
          UPDATE cid_references SET dag_size = sizes."dagSize", updated_at = now()
          FROM (SELECT DISTINCT ON ("cidKey") "cidKey", "dagSize" FROM pinned) AS sizes
          WHERE cid_references.cid_key = sizes."cidKey"
        )
        SELECT * FROM pinned`
      return firstCallerGets(items, rows)
    },
  )

  return {
    find: (id) => one(Prisma.sql`SELECT ${columns} FROM pins WHERE id = ${id}::uuid`),

    async startPinning(id, defaultDeadline) {
      if (!isUuid(id)) return undefined
      const row = await starts.add({ id, defaultDeadline })
      if (row === undefined) return undefined
      const pin = toRecord(row)
      return {
        pin: { ...pin, deadlineAt: pin.deadlineAt ?? defaultDeadline },
        previous: row.previous,
      }
    },

    async touch(id) {
      await prisma.$executeRaw`UPDATE pins SET updated_at = now() WHERE id = ${id}::uuid AND ${pending}`
    },

    async markPinned(id, dagSize) {
      if (!isUuid(id)) return undefined
      const row = await pinnings.add({ id, dagSize })
      return row === undefined ? undefined : toRecord(row)
    },

    markFailed: (id, info) =>
      one(Prisma.sql`
        UPDATE pins SET status = 'failed', info = ${JSON.stringify(info)}::jsonb, updated_at = now()
        WHERE id = ${id}::uuid AND ${pending}
        RETURNING ${columns}`),

    unpinIfUnreferenced: (cidKey, unpin) =>
      prisma.$transaction(
        async (tx) => {
          if ((await cidReferenceCount(tx, cidKey, { lock: true })) > 0) return false
          await unpin()
          return true
        },
        { timeout: 60_000, maxWait: 10_000 },
      ),

    // The outbox markers of @pinion/pins (packages/pins/README.md "Outbox"); both queries follow
    // a partial index (pins_unpublished_idx, pins_removal_unpublished_idx).
    unpublishedRequests: (before, limit) =>
      many(Prisma.sql`SELECT ${columns} FROM pins
        WHERE published_at IS NULL AND updated_at < ${before} AND ${pending}
        ORDER BY updated_at LIMIT ${limit}`),

    unpublishedRemovals: (before, limit) =>
      many(Prisma.sql`SELECT ${columns} FROM pins
        WHERE deleted_at IS NOT NULL AND removal_published_at IS NULL AND deleted_at < ${before}
        ORDER BY deleted_at LIMIT ${limit}`),

    stalled: (before, limit) =>
      many(Prisma.sql`SELECT ${columns} FROM pins
        WHERE published_at IS NOT NULL AND ${pending} AND updated_at < ${before}
        ORDER BY updated_at LIMIT ${limit}`),

    async markRequestPublished(id, attempt) {
      await prisma.$executeRaw`UPDATE pins SET published_at = now(),
          attempts = GREATEST(attempts, ${attempt}), updated_at = now()
        WHERE id = ${id}::uuid`
    },

    async markRemovalPublished(id) {
      await prisma.$executeRaw`UPDATE pins SET removal_published_at = now()
        WHERE id = ${id}::uuid AND removal_published_at IS NULL`
    },

    failExpired: (now, info, limit) =>
      many(Prisma.sql`
        UPDATE pins SET status = 'failed', info = ${JSON.stringify(info)}::jsonb, updated_at = now()
        WHERE id IN (
          SELECT id FROM pins WHERE ${pending} AND deadline_at < ${now}
          ORDER BY deadline_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        AND ${pending}
        RETURNING ${columns}`),
  }
}
