/** Bounds of a {@link createLruCache}. */
export interface LruCacheInit<V> {
  /** Total size kept; 0 disables the cache. */
  maxBytes: number
  /** Larger entries are not kept. */
  maxEntryBytes: number
  /**
   * How long an entry is served, in ms. What the gateway caches never changes under its CID,
   * but the blockstore may garbage-collect it: this bounds how long it could still be served.
   */
  ttlMs: number
  /** The size an entry counts against `maxBytes`. */
  sizeOf(value: V): number
  now?: () => number
}

/** A least-recently-used map bounded in bytes, whose entries expire. */
export interface LruCache<V> {
  get(key: string): V | undefined
  set(key: string, value: V): void
}

/** Creates an {@link LruCache}: a `Map`, whose insertion order is the recency order. */
export function createLruCache<V>(init: LruCacheInit<V>): LruCache<V> {
  const now = init.now ?? Date.now
  const entries = new Map<string, { value: V; size: number; until: number }>()
  let total = 0
  const drop = (key: string) => {
    const entry = entries.get(key)
    if (entry === undefined) return
    entries.delete(key)
    total -= entry.size
  }
  return {
    get(key) {
      if (init.maxBytes === 0) return undefined
      const entry = entries.get(key)
      if (entry === undefined) return undefined
      if (entry.until <= now()) {
        drop(key)
        return undefined
      }
      entries.delete(key)
      entries.set(key, entry)
      return entry.value
    },
    set(key, value) {
      const size = init.sizeOf(value)
      if (size > init.maxEntryBytes || size > init.maxBytes) return
      drop(key)
      entries.set(key, { value, size, until: now() + init.ttlMs })
      total += size
      for (const oldest of entries.keys()) {
        if (total <= init.maxBytes) break
        drop(oldest)
      }
    },
  }
}
