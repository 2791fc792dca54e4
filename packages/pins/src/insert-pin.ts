/**
 * `createPin` in one SQL statement, for users without a pin-count limit (the common case): the
 * stored-bytes check, the per-user clock, the row and its CID reference in a single auto-committed
 * statement, one round trip instead of a transaction of six. Users with `max_pins` take the
 * transaction in pins.ts: counting their live pins needs the clock's lock held across statements.
 */
import { Prisma, type DbClient, type Pin } from '@pinion/db'
import type { NewPin } from './pins.js'

/** What the statement found when it inserted nothing. */
export type FastInsertResult =
  | { readonly kind: 'inserted'; readonly pin: Pin }
  | { readonly kind: 'no-user' }
  | { readonly kind: 'over-stored-bytes'; readonly stored: bigint; readonly max: bigint }
  | { readonly kind: 'has-pin-limit' }

const pinColumns = Prisma.sql`
  id::text AS id, user_id::text AS "userId", cid, cid_key AS "cidKey", name, meta,
  status::text AS status, info, created, origins, dag_size AS "dagSize", source::text AS source,
  github_installation_id AS "githubInstallationId", deleted_at AS "deletedAt",
  replaced_by_id::text AS "replacedById", published_at AS "publishedAt", attempts,
  deadline_at AS "deadlineAt", updated_at AS "updatedAt",
  removal_published_at AS "removalPublishedAt"`

export async function insertPinFast(
  db: DbClient,
  input: NewPin,
  deadlineMs: number,
): Promise<FastInsertResult> {
  const rows = await db.$queryRaw<
    (Partial<Pin> & {
      found: boolean | null
      maxPins: number | null
      maxStoredBytes: bigint | null
      stored: bigint | null
    })[]
  >`
    WITH owner AS (
      SELECT u.id, u.max_pins, u.max_stored_bytes,
        CASE WHEN u.max_stored_bytes IS NULL THEN NULL ELSE (
          SELECT coalesce(sum(c.value), 0)::bigint FROM usage_counters c
          WHERE c.user_id = u.id AND c.metric = 'stored_bytes'
        ) END AS stored
      FROM users u WHERE u.id = ${input.userId}::uuid
    ), allowed AS (
      SELECT id FROM owner
      WHERE max_pins IS NULL AND (max_stored_bytes IS NULL OR stored < max_stored_bytes)
    ), clock AS (
      INSERT INTO pin_clocks (user_id, last_created)
      SELECT id, date_trunc('milliseconds', clock_timestamp()) FROM allowed
      ON CONFLICT (user_id) DO UPDATE SET last_created = GREATEST(
        EXCLUDED.last_created,
        pin_clocks.last_created + interval '1 millisecond'
      )
      RETURNING last_created
    ), pin AS (
      INSERT INTO pins (user_id, cid, cid_key, name, meta, status, source, github_installation_id,
                        created, origins, attempts, deadline_at, updated_at)
      SELECT ${input.userId}::uuid, ${input.cid}, ${input.cidKey}, ${input.name ?? null},
             ${JSON.stringify(input.meta)}::jsonb, ${input.status ?? 'queued'}::"PinStatus",
             ${input.source ?? 'api'}::"PinSource",
             ${input.githubInstallationId === undefined ? null : BigInt(input.githubInstallationId)}::bigint,
             last_created, ${[...input.origins]}::text[], 1,
             last_created + ${deadlineMs} * interval '1 millisecond', now()
      FROM clock
      RETURNING *
    ), reference AS (
      INSERT INTO cid_references (cid_key, ref_count)
      SELECT cid_key, 1 FROM pin
      ON CONFLICT (cid_key) DO UPDATE SET
        ref_count = cid_references.ref_count + 1,
        updated_at = now()
      RETURNING ref_count
    )
    SELECT ${pinColumns},
      (SELECT true FROM owner) AS found,
      (SELECT max_pins FROM owner) AS "maxPins",
      (SELECT max_stored_bytes FROM owner) AS "maxStoredBytes",
      (SELECT stored FROM owner) AS stored,
      (SELECT count(*) FROM reference) AS "references"
    FROM (SELECT 1) AS one LEFT JOIN pin ON true`
  const row = rows[0]
  if (row === undefined || row.found !== true) return { kind: 'no-user' }
  if (row.id !== null && row.id !== undefined) {
    const { found: _f, maxPins: _m, maxStoredBytes: _s, stored: _t, ...pin } = row
    delete (pin as Record<string, unknown>).references
    return { kind: 'inserted', pin: pin as Pin }
  }
  if (row.maxPins !== null) return { kind: 'has-pin-limit' }
  return { kind: 'over-stored-bytes', stored: row.stored ?? 0n, max: row.maxStoredBytes ?? 0n }
}
