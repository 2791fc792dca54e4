/**
 * "Is this root pinned by this user?", read straight from the `pins` table that the pinning API,
 * upload and the worker maintain (the prover only tags content its owner keeps pinned).
 */
import type { DbClient } from '@pinion/db'
import type { CID } from 'multiformats/cid'

/** The `cid_key` form of a CID: CIDv1 base32 (v0 → dag-pb v1), as the pins table stores it. */
export function cidKey(cid: CID): string {
  return cid.toV1().toString()
}

/** Whether `userId` has a live, `pinned` pin of `cid`. */
export async function isPinnedBy(db: DbClient, userId: string, cid: CID): Promise<boolean> {
  const pin = await db.pin.findFirst({
    where: { userId, cidKey: cidKey(cid), status: 'pinned', deletedAt: null },
    select: { id: true },
  })
  return pin !== null
}
