/**
 * `createPin` for many requests in one SQL statement (group commit), for users without a pin-count
 * limit (the common case): the stored-bytes check, the per-user clock, the rows and their CID
 * references in a single auto-committed statement, one round trip and one commit for a whole batch
 * instead of a transaction of six per pin. Users with `max_pins` take the transaction in pins.ts:
 * counting their live pins needs the clock's lock held across statements.
 */
import { Prisma, type DbClient, type Pin } from '@pinion/db'
import { newPinFields, type NewPin } from './new-pin.js'

/** What became of one request of a batch. */
export type FastInsertResult =
  | { readonly kind: 'inserted'; readonly pin: Pin }
  | { readonly kind: 'no-user' }
  | { readonly kind: 'over-stored-bytes'; readonly stored: bigint; readonly max: bigint }
  | { readonly kind: 'has-pin-limit' }
  /** Postgres refused the whole batch for a reason of one input or of the batch itself. */
  | { readonly kind: 'refused-batch' }

const pinColumns = Prisma.sql`
  pin.id::text AS id, pin.user_id::text AS "userId", pin.cid, pin.cid_key AS "cidKey", pin.name,
  pin.meta, pin.status::text AS status, pin.info, pin.created, pin.origins,
  pin.dag_size AS "dagSize", pin.source::text AS source,
  pin.github_installation_id AS "githubInstallationId", pin.deleted_at AS "deletedAt",
  pin.replaced_by_id::text AS "replacedById", pin.published_at AS "publishedAt", pin.attempts,
  pin.deadline_at AS "deadlineAt", pin.updated_at AS "updatedAt",
  pin.removal_published_at AS "removalPublishedAt"`

type ResultRow = Partial<Pin> & {
  i: number
  found: boolean | null
  maxPins: number | null
  maxStoredBytes: bigint | null
  stored: bigint | null
}

/**
 * Inserts `inputs` together; one result per input, in order.
 *
 * Pins of one user in a batch get consecutive `created` milliseconds in input order, continuing
 * that user's clock exactly as one insert at a time would. Clock and reference rows are upserted
 * in key order, so concurrent batches lock them in the same order.
 *
 * The batch travels as one JSON parameter; an input JSON cannot carry (a lone surrogate in a
 * name, say) fails the whole statement, and the caller then retries each input on its own.
 */
export async function insertPinsFast(
  db: DbClient,
  inputs: readonly NewPin[],
  deadlineMs: number,
): Promise<FastInsertResult[]> {
  const batch = inputs.map((input, i) => ({ i, ...newPinFields(input) }))
  // bigint (the installation id) travels as a string, which the bigint column parses.
  const json = JSON.stringify(batch, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  )
  const rows = await db.$queryRaw<ResultRow[]>`
    WITH input AS (
      SELECT i, "userId" AS user_id, cid, "cidKey" AS cid_key, name, meta, origins, status,
        source, "githubInstallationId" AS github_installation_id
      FROM jsonb_to_recordset(${json}::jsonb) AS t(
        i int, "userId" uuid, cid text, "cidKey" text, name text, meta jsonb, origins text[],
        status "PinStatus", source "PinSource", "githubInstallationId" bigint)
    ), owner AS (
      SELECT u.id, u.max_pins, u.max_stored_bytes,
        CASE WHEN u.max_stored_bytes IS NULL THEN NULL ELSE (
          SELECT coalesce(sum(c.value), 0)::bigint FROM usage_counters c
          WHERE c.user_id = u.id AND c.metric = 'stored_bytes'
        ) END AS stored
      FROM users u WHERE u.id IN (SELECT user_id FROM input)
    ), allowed AS (
      SELECT input.*,
        row_number() OVER (PARTITION BY input.user_id ORDER BY input.i) AS k,
        count(*) OVER (PARTITION BY input.user_id) AS n
      FROM input JOIN owner ON owner.id = input.user_id
      WHERE owner.max_pins IS NULL
        AND (owner.max_stored_bytes IS NULL OR owner.stored < owner.max_stored_bytes)
    ), per_user AS (
      SELECT user_id, max(n) AS n FROM allowed GROUP BY user_id
    ), clock AS (
      -- The user's first new pin at max(now, last + 1 ms); the clock moves to its n-th.
      INSERT INTO pin_clocks (user_id, last_created)
      SELECT user_id, date_trunc('milliseconds', clock_timestamp()) + (n - 1) * interval '1 ms'
      FROM per_user ORDER BY user_id
      ON CONFLICT (user_id) DO UPDATE SET last_created = GREATEST(
        EXCLUDED.last_created,
        pin_clocks.last_created
          + (SELECT n FROM per_user WHERE per_user.user_id = EXCLUDED.user_id) * interval '1 ms'
      )
      RETURNING user_id, last_created
    ), planned AS (
      SELECT allowed.*, clock.last_created - (allowed.n - allowed.k) * interval '1 ms' AS created
      FROM allowed JOIN clock USING (user_id)
    ), pin AS (
      INSERT INTO pins (user_id, cid, cid_key, name, meta, status, source, github_installation_id,
                        created, origins, attempts, deadline_at, updated_at)
      SELECT user_id, cid, cid_key, name, meta, status, source, github_installation_id, created,
             origins, 1, created + ${deadlineMs} * interval '1 ms', now()
      FROM planned
      RETURNING *
    ), reference AS (
      INSERT INTO cid_references (cid_key, ref_count)
      SELECT cid_key, count(*) FROM pin GROUP BY cid_key ORDER BY cid_key
      ON CONFLICT (cid_key) DO UPDATE SET
        ref_count = cid_references.ref_count + EXCLUDED.ref_count,
        updated_at = now()
    )
    SELECT input.i, owner.id IS NOT NULL AS found, owner.max_pins AS "maxPins",
      owner.max_stored_bytes AS "maxStoredBytes", owner.stored, ${pinColumns}
    FROM input
    LEFT JOIN owner ON owner.id = input.user_id
    LEFT JOIN planned ON planned.i = input.i
    LEFT JOIN pin ON pin.user_id = planned.user_id AND pin.created = planned.created`
  const byIndex = new Map(rows.map((row) => [row.i, row]))
  return inputs.map((_, i) => toResult(byIndex.get(i)))
}

function toResult(row: ResultRow | undefined): FastInsertResult {
  if (row === undefined || row.found !== true) return { kind: 'no-user' }
  const { i: _i, found: _f, maxPins, maxStoredBytes, stored, ...pin } = row
  if (pin.id !== null && pin.id !== undefined) return { kind: 'inserted', pin: pin as Pin }
  if (maxPins !== null) return { kind: 'has-pin-limit' }
  return { kind: 'over-stored-bytes', stored: stored ?? 0n, max: maxStoredBytes ?? 0n }
}
