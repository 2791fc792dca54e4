import type { CID } from 'multiformats/cid'

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
  /**
   * How long a block is served from memory, in ms. Content never changes under its CID, but the
   * blockstore may garbage-collect it; this bounds how long the gateway could still serve it.
   */
  ttlMs: number
  now?: () => number
}

/**
 * A least-recently-used cache of blocks, bounded in bytes, keyed by multihash (CIDv0 and CIDv1 of
 * one block, or one digest under two codecs, are the same bytes). Small files, directory blocks
 * and HAMT shards of popular content are then served without opening a file per request.
 */
export function createBlockCache(init: BlockCacheInit): BlockCache {
  const now = init.now ?? Date.now
  const entries = new Map<string, { bytes: Uint8Array; until: number }>()
  let total = 0
  const keyOf = (cid: CID) => Buffer.from(cid.multihash.bytes).toString('base64')
  const drop = (key: string) => {
    const entry = entries.get(key)
    if (entry === undefined) return
    entries.delete(key)
    total -= entry.bytes.length
  }
  return {
    get(cid) {
      if (init.maxBytes === 0) return undefined
      const key = keyOf(cid)
      const entry = entries.get(key)
      if (entry === undefined) return undefined
      if (entry.until <= now()) {
        drop(key)
        return undefined
      }
      // Re-insert: Map order is the recency order.
      entries.delete(key)
      entries.set(key, entry)
      return entry.bytes
    },
    set(cid, bytes) {
      if (bytes.length > init.maxBlockBytes || bytes.length > init.maxBytes) return
      const key = keyOf(cid)
      drop(key)
      entries.set(key, { bytes, until: now() + init.ttlMs })
      total += bytes.length
      for (const oldest of entries.keys()) {
        if (total <= init.maxBytes) break
        drop(oldest)
      }
    },
  }
}
