/**
 * The per-user clock behind `Pin.created`. The Pinning API paginates by `created` (newest first,
 * `before` = the oldest seen), which only works if no two pins of a user share a timestamp at the
 * precision clients send back (milliseconds; pinning-api.md §1.2, §1.4).
 */
import type { DbClient } from '../db-client.js'
import { isUuid } from '../db-client.js'

/**
 * The `created` timestamp for a new pin of `userId`: the database clock truncated to milliseconds,
 * or 1 ms after the user's previous one when that is not earlier. Strictly increasing per user
 * under any concurrency: the upsert locks the user's clock row, so concurrent callers queue on it.
 *
 * Call it inside the transaction that inserts the pin. The lock is then held until commit, so a
 * user's pins also become visible in `created` order and a client paging with `before` never
 * skips one that commits late.
 *
 * @throws RangeError for a malformed user id; a Prisma error when the user does not exist.
 */
export async function nextPinCreated(db: DbClient, userId: string): Promise<Date> {
  if (!isUuid(userId)) throw new RangeError(`Not a user id: ${userId}`)
  const rows = await db.$queryRaw<{ created: Date }[]>`
    INSERT INTO pin_clocks (user_id, last_created)
    VALUES (${userId}::uuid, date_trunc('milliseconds', clock_timestamp()))
    ON CONFLICT (user_id) DO UPDATE SET last_created = GREATEST(
      EXCLUDED.last_created,
      pin_clocks.last_created + interval '1 millisecond'
    )
    RETURNING last_created AS created`
  const created = rows[0]?.created
  if (created === undefined) throw new Error('pin clock upsert returned no row')
  return created
}
