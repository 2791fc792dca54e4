/**
 * Inserts into a Map or Set used as a cache, keeping at most `max` entries: re-inserting moves a
 * key to the newest position, and the oldest entries go first (both keep insertion order).
 */
export function addBounded<K, V>(cache: Map<K, V>, max: number, key: K, value: V): void {
  cache.delete(key)
  cache.set(key, value)
  for (const oldest of cache.keys()) {
    if (cache.size <= max) break
    cache.delete(oldest)
  }
}
