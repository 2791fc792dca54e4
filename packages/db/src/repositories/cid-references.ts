/**
 * Cross-user reference counts per normalised CID (`Pin.cidKey`). The blockstore unpins a CID only
 * when no live pin of any user references it.
 *
 * Exactly-once is the caller's half of the contract: acquire in the transaction that inserts a pin,
 * release in the transaction that soft-deletes it, guarded by `deleted_at IS NULL` so that a
 * redelivered delete releases nothing. The functions here are then race-free on their own: each is
 * one atomic statement that locks the counter row.
 */
import type { DbClient } from '../db-client.js'

/**
 * Adds one reference to `cidKey`, creating its counter at 1.
 *
 * @returns the count after the increment (1 means the CID was not referenced before).
 */
export async function acquireCidReference(db: DbClient, cidKey: string): Promise<number> {
  const rows = await db.$queryRaw<{ refCount: number }[]>`
    INSERT INTO cid_references (cid_key, ref_count)
    VALUES (${cidKey}, 1)
    ON CONFLICT (cid_key) DO UPDATE SET
      ref_count = cid_references.ref_count + 1,
      updated_at = now()
    RETURNING ref_count AS "refCount"`
  return rows[0]?.refCount ?? 1
}

/**
 * Removes one reference from `cidKey`; never goes below zero (a release without a matching
 * acquire changes nothing and returns 0).
 *
 * @returns the references left; at 0 the caller may unpin the CID (re-check with
 *   {@link cidReferenceCount} `{ lock: true }` in the unpinning transaction).
 */
export async function releaseCidReference(db: DbClient, cidKey: string): Promise<number> {
  const rows = await db.$queryRaw<{ refCount: number }[]>`
    UPDATE cid_references SET ref_count = ref_count - 1, updated_at = now()
    WHERE cid_key = ${cidKey} AND ref_count > 0
    RETURNING ref_count AS "refCount"`
  return rows[0]?.refCount ?? 0
}

/**
 * The current reference count of `cidKey` (0 when unknown). With `lock`, the counter row is
 * locked until the transaction ends, so an unpin decided on a 0 cannot race a new acquire.
 */
export async function cidReferenceCount(
  db: DbClient,
  cidKey: string,
  options: { lock?: boolean } = {},
): Promise<number> {
  const rows = options.lock
    ? await db.$queryRaw<{ refCount: number }[]>`
        SELECT ref_count AS "refCount" FROM cid_references WHERE cid_key = ${cidKey} FOR UPDATE`
    : await db.$queryRaw<{ refCount: number }[]>`
        SELECT ref_count AS "refCount" FROM cid_references WHERE cid_key = ${cidKey}`
  return rows[0]?.refCount ?? 0
}
