import type { Blockstore } from '@pinion/blockstore'
import type { ReadableStorage } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import type { BlockCache } from './block-cache.js'
import type { BufferPool } from './buffer-pool.js'

/** What the gateway reads blocks through: the shared blockstore, bound to one request. */
export interface BlockSource {
  /**
   * The block's bytes; identity CIDs are answered from the CID itself. Never fetches from the
   * network (the blockstore contract).
   *
   * @throws BlockNotFoundError when the block is not stored here; the request's abort reason.
   */
  get(cid: CID): Promise<Uint8Array>
  /**
   * The block's bytes lent until `release()`: read into a pooled buffer when the blockstore can
   * (`readInto`), which the caller gives back as soon as nothing refers to the bytes any more
   * (views included). For blocks streamed once (file leaves); they skip the block cache.
   *
   * @throws as {@link BlockSource.get}.
   */
  borrow(cid: CID): Promise<BorrowedBlock>
  /** Whether the block is stored here (identity CIDs always are). */
  has(cid: CID): Promise<boolean>
}

/** Bytes of a block lent by {@link BlockSource.borrow}. */
export interface BorrowedBlock {
  readonly bytes: Uint8Array
  /** Whether the bytes are in a pooled buffer (false: the caller may keep them). */
  readonly lent: boolean
  /** Ends the loan: the bytes may be overwritten from now on. Idempotent. */
  release(): void
}

const keep = () => undefined

/** A block that is not lent from a pool: releasing it does nothing. */
export function ownedBlock(bytes: Uint8Array): BorrowedBlock {
  return { bytes, lent: false, release: keep }
}

/** Options of {@link createBlockSource}. */
export interface BlockSourceOptions {
  /** Aborts every read of the request (the client went away). */
  signal?: AbortSignal | undefined
  /**
   * Told about every block read, in order (CAR path blocks, read counters in tests). Bytes of a
   * borrowed block must not be kept.
   */
  onRead?: ((cid: CID, bytes: Uint8Array) => void) | undefined
  /** Recently read blocks shared by every request. */
  cache?: BlockCache | undefined
  /** Buffers that `borrow` reads into, shared by every request. */
  pool?: BufferPool | undefined
}

/** A {@link BlockSource} over the shared blockstore for one request. */
export function createBlockSource(
  blockstore: Pick<Blockstore, 'get' | 'has' | 'readInto'>,
  options: BlockSourceOptions = {},
): BlockSource {
  const { signal, onRead, cache, pool } = options
  /** Bytes at hand without a read: an identity CID's digest, or a cached block. */
  const atHand = (cid: CID): Uint8Array | undefined =>
    cid.multihash.code === identity.code ? cid.multihash.digest : cache?.get(cid)
  const read = async (cid: CID): Promise<Uint8Array> => {
    const known = atHand(cid)
    if (known !== undefined) return known
    const bytes = await blockstore.get(cid, { signal })
    cache?.set(cid, bytes)
    return bytes
  }
  /** The block read into a pooled buffer, or undefined when it cannot be (no pool, too large). */
  const readLent = async (cid: CID): Promise<BorrowedBlock | undefined> => {
    if (pool === undefined || blockstore.readInto === undefined) return undefined
    const buffer = pool.acquire()
    let length: number | undefined
    try {
      length = await blockstore.readInto(cid, buffer, { signal })
    } finally {
      if (length === undefined) pool.release(buffer)
    }
    if (length === undefined) return undefined
    let returned = false
    return {
      bytes: buffer.subarray(0, length),
      lent: true,
      release() {
        if (!returned) pool.release(buffer)
        returned = true
      },
    }
  }
  const lend = async (cid: CID): Promise<BorrowedBlock> => {
    const known = atHand(cid)
    if (known !== undefined) return ownedBlock(known)
    return (await readLent(cid)) ?? ownedBlock(await blockstore.get(cid, { signal }))
  }
  return {
    async get(cid) {
      signal?.throwIfAborted()
      const bytes = await read(cid)
      onRead?.(cid, bytes)
      return bytes
    },
    async borrow(cid) {
      signal?.throwIfAborted()
      const block = await lend(cid)
      onRead?.(cid, block.bytes)
      return block
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
    async borrow(cid) {
      const block = await source.borrow(cid)
      onRead(cid, block.bytes)
      return block
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
