import type { CID } from 'multiformats/cid'
import { createLruCache } from './lru-cache.js'

/** A shared in-memory cache of recently served blocks. */
export interface BlockCache {
  get(cid: CID): Uint8Array | undefined
  set(cid: CID, bytes: Uint8Array): void
}

/** Bounds of the cache. */
export interface BlockCacheInit {
  /** Total bytes kept; 0 disables the cache. */
  maxBytes: number
  /** Larger blocks are not kept (big leaves stream by once; small hot blocks repeat). */
  maxBlockBytes: number
  /** How long a block is served from memory, in ms (the blockstore may garbage-collect it). */
  ttlMs: number
  now?: () => number
}

/**
 * A least-recently-used cache of blocks, bounded in bytes, keyed by multihash (CIDv0 and CIDv1 of
 * one block, or one digest under two codecs, are the same bytes). Small files, directory blocks
 * and HAMT shards of popular content are then served without opening a file per request.
 */
export function createBlockCache(init: BlockCacheInit): BlockCache {
  const cache = createLruCache<Uint8Array>({
    maxBytes: init.maxBytes,
    maxEntryBytes: init.maxBlockBytes,
    ttlMs: init.ttlMs,
    sizeOf: (bytes) => bytes.length,
    now: init.now,
  })
  const keyOf = (cid: CID) => Buffer.from(cid.multihash.bytes).toString('base64')
  return {
    get: (cid) => cache.get(keyOf(cid)),
    set: (cid, bytes) => cache.set(keyOf(cid), bytes),
  }
}
