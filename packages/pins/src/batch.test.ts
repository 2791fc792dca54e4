import { describe, expect, it } from 'vitest'
import { createBatcher } from './batch.js'

describe('createBatcher', () => {
  it('flushes keys added together in one call, and later keys in another', async () => {
    const flushed: number[][] = []
    const batcher = createBatcher<number>(async (keys) => {
      flushed.push([...keys])
    })
    await Promise.all([batcher.add(1), batcher.add(2), batcher.add(3)])
    await batcher.add(4)
    expect(flushed).toEqual([[1, 2, 3], [4]])
  })

  it('flushes at maxSize without waiting, and passes a failed flush to every waiter', async () => {
    const flushed: number[][] = []
    const batcher = createBatcher<number>(
      async (keys) => {
        flushed.push([...keys])
        if (keys.includes(3)) throw new Error('database down')
      },
      { maxSize: 2, delayMs: 60_000 },
    )
    await Promise.all([batcher.add(1), batcher.add(2)])
    const failing = [batcher.add(3), batcher.add(4)]
    for (const waiter of failing) await expect(waiter).rejects.toThrow('database down')
    expect(flushed).toEqual([
      [1, 2],
      [3, 4],
    ])
  })
})
