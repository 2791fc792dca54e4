/**
 * A small cache of decoded frames keyed by their SHA-256: decoding a sw-pub setup re-derives s
 * hash-to-curve generators (≈ s × 4 ms), which a prover or auditor should pay once per key, not per
 * call. Bounded (LRU by insertion) so a stream of foreign setups cannot grow memory.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex } from './bytes.js'

/** Wraps `decode` so equal input bytes decode once; errors are not cached. */
export function memoByBytes<T>(
  decode: (bytes: Uint8Array) => T,
  size = 32,
): (bytes: Uint8Array) => T {
  const cache = new Map<string, T>()
  return (bytes) => {
    const id = toHex(sha256(bytes))
    const hit = cache.get(id)
    if (hit !== undefined) return hit
    const value = decode(bytes)
    if (cache.size >= size) cache.delete(cache.keys().next().value!)
    cache.set(id, value)
    return value
  }
}
