import { describe, expect, it } from 'vitest'
import { createLruCache } from './lru-cache.js'

function cache(init: { maxBytes: number; maxEntryBytes?: number; ttlMs?: number }) {
  let now = 0
  const lru = createLruCache<string>({
    maxBytes: init.maxBytes,
    maxEntryBytes: init.maxEntryBytes ?? init.maxBytes,
    ttlMs: init.ttlMs ?? 1000,
    sizeOf: (value) => value.length,
    now: () => now,
  })
  return { lru, advance: (ms: number) => (now += ms) }
}

describe('createLruCache', () => {
  it('evicts the least recently used entries once over its bytes', () => {
    const { lru } = cache({ maxBytes: 6 })
    lru.set('a', 'aa')
    lru.set('b', 'bb')
    lru.set('c', 'cc')
    expect(lru.get('a')).toBe('aa') // a is now the most recent
    lru.set('d', 'dd')
    expect(lru.get('b')).toBeUndefined()
    expect(['a', 'c', 'd'].map((key) => lru.get(key))).toEqual(['aa', 'cc', 'dd'])
    // Replacing an entry counts its new size only.
    lru.set('d', 'dddd')
    expect(lru.get('a')).toBeUndefined()
    expect(lru.get('d')).toBe('dddd')
  })

  it('keeps nothing larger than an entry may be, or when disabled', () => {
    const { lru } = cache({ maxBytes: 100, maxEntryBytes: 3 })
    lru.set('big', 'four')
    expect(lru.get('big')).toBeUndefined()
    const { lru: off } = cache({ maxBytes: 0 })
    off.set('a', '')
    expect(off.get('a')).toBeUndefined()
  })

  it('forgets entries after their time to live', () => {
    const { lru, advance } = cache({ maxBytes: 10, ttlMs: 100 })
    lru.set('a', 'x')
    advance(99)
    expect(lru.get('a')).toBe('x')
    advance(1)
    expect(lru.get('a')).toBeUndefined()
  })
})
