/**
 * A small LRU in front of a slow block source: chunks are read in order and a 256 KiB block spans
 * many chunks, so without it every chunk would fetch its block again across the thread boundary.
 */
import type { BlockSource } from '@pinion/proofs'

/** Bytes of blocks kept (bjo reads chunks in a permuted order, so keep a good share). */
export const BLOCK_CACHE_BYTES = 64 * 1024 * 1024

/** Wraps `fetch` with an LRU of at most `maxBytes` bytes of blocks, keyed by raw CID bytes. */
export function createBlockCache(
  fetch: (cid: Uint8Array) => Promise<Uint8Array>,
  maxBytes = BLOCK_CACHE_BYTES,
): BlockSource {
  const cache = new Map<string, Uint8Array>()
  let held = 0
  return {
    async get(cid) {
      const key = Buffer.from(cid).toString('hex')
      const hit = cache.get(key)
      if (hit) {
        cache.delete(key)
        cache.set(key, hit)
        return hit
      }
      const bytes = await fetch(cid)
      cache.set(key, bytes)
      held += bytes.length
      for (const [old, value] of cache) {
        if (held <= maxBytes || old === key) break
        cache.delete(old)
        held -= value.length
      }
      return bytes
    },
  }
}
