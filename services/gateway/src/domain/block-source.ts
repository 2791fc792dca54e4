import type { Blockstore } from '@pinion/blockstore'
import type { ReadableStorage } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import type { BlockCache } from './block-cache.js'

/** What the gateway reads blocks through: the shared blockstore, bound to one request. */
export interface BlockSource {
  /**
   * The block's bytes; identity CIDs are answered from the CID itself. Never fetches from the
   * network (the blockstore contract).
   *
   * @throws BlockNotFoundError when the block is not stored here; the request's abort reason.
   */
  get(cid: CID): Promise<Uint8Array>
  /** Whether the block is stored here (identity CIDs always are). */
  has(cid: CID): Promise<boolean>
}

/** Options of {@link createBlockSource}. */
export interface BlockSourceOptions {
  /** Aborts every read of the request (the client went away). */
  signal?: AbortSignal | undefined
  /** Told about every block read, in order (CAR path blocks, read counters in tests). */
  onRead?: ((cid: CID, bytes: Uint8Array) => void) | undefined
  /** Recently read blocks shared by every request. */
  cache?: BlockCache | undefined
}

/** A {@link BlockSource} over the shared blockstore for one request. */
export function createBlockSource(
  blockstore: Pick<Blockstore, 'get' | 'has'>,
  options: BlockSourceOptions = {},
): BlockSource {
  const { signal, onRead, cache } = options
  const read = async (cid: CID): Promise<Uint8Array> => {
    if (cid.multihash.code === identity.code) return cid.multihash.digest
    const cached = cache?.get(cid)
    if (cached !== undefined) return cached
    const bytes = await blockstore.get(cid, { signal })
    cache?.set(cid, bytes)
    return bytes
  }
  return {
    async get(cid) {
      signal?.throwIfAborted()
      const bytes = await read(cid)
      onRead?.(cid, bytes)
      return bytes
    },
    async has(cid) {
      if (cid.multihash.code === identity.code) return true
      return blockstore.has(cid, { signal })
    },
  }
}

/**
 * The same source with another `onRead` observer added (path resolution records the blocks a
 * CAR must carry to prove the path).
 */
export function observeReads(
  source: BlockSource,
  onRead: (cid: CID, bytes: Uint8Array) => void,
): BlockSource {
  return {
    async get(cid) {
      const bytes = await source.get(cid)
      onRead(cid, bytes)
      return bytes
    },
    has: (cid) => source.has(cid),
  }
}

/**
 * The `interface-blockstore` view `ipfs-unixfs-exporter` wants: its `get()` yields the block as
 * chunks (one chunk here). The one adapter between our Blockstore and the exporter.
 */
export function exporterStorage(source: BlockSource): ReadableStorage {
  return {
    get(cid: CID) {
      return (async function* () {
        yield await source.get(cid)
      })()
    },
  } as unknown as ReadableStorage
}
