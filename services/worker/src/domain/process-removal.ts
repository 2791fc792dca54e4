import type { Blockstore } from '@pinion/blockstore'
import type { Logger } from '@pinion/service-kit'
import { CID } from 'multiformats/cid'
import type { PinRecords } from './pin-records.js'

export interface RemovalComponents {
  records: Pick<PinRecords, 'unpinIfUnreferenced'>
  blockstore: Pick<Blockstore, 'unpin'>
  logger: Logger
}

/**
 * Unpins `cidKey` from the blockstore when no pin of any user references it any more. The API
 * released the pin's reference when it deleted or replaced the pin; this only acts on the count,
 * under its row lock, so it is idempotent and cannot race a new pin of the same CID.
 *
 * @returns whether the CID was unpinned.
 * @throws when the database or the blockstore backend is unavailable (retry later).
 */
export async function unpinIfUnreferenced(
  components: RemovalComponents,
  cidKey: string,
  signal?: AbortSignal,
): Promise<boolean> {
  let cid: CID
  try {
    cid = CID.parse(cidKey)
  } catch {
    components.logger.warn({ cidKey }, 'removal of an unparsable CID key ignored')
    return false
  }
  const unpinned = await components.records.unpinIfUnreferenced(cidKey, () =>
    components.blockstore.unpin(cid, { signal }),
  )
  if (unpinned) components.logger.info({ cid: cidKey }, 'unpinned: no pin references it')
  return unpinned
}
