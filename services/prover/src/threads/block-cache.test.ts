import { describe, expect, it } from 'vitest'
import { createBlockCache } from './block-cache.js'

describe('createBlockCache', () => {
  it('fetches a block once while it fits, and evicts the least recently used', async () => {
    const fetched: number[] = []
    const cache = createBlockCache(async (cid) => {
      fetched.push(cid[0]!)
      return new Uint8Array(10)
    }, 20)
    const cid = (n: number) => Uint8Array.of(n)
    await cache.get(cid(1))
    await cache.get(cid(2))
    await cache.get(cid(1))
    await cache.get(cid(3)) // evicts 2, the least recently used
    await cache.get(cid(1))
    await cache.get(cid(2))
    expect(fetched).toEqual([1, 2, 3, 2])
  })
})
