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

  it('queues items while a flush is in flight and flushes them together next, each with its result', async () => {
    const flushed: number[][] = []
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const batcher = createBatcher<number, number>(async (items) => {
      flushed.push([...items])
      if (items[0] === 1) await gate
      return items.map((item) => item * 10)
    })
    const first = batcher.add(1)
    await new Promise((resolve) => setImmediate(resolve))
    const later = [batcher.add(2), batcher.add(3), batcher.add(4)]
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(flushed).toEqual([[1]])
    release()
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30, 40])
    expect(flushed).toEqual([[1], [2, 3, 4]])
  })

  it('flushes at maxSize without waiting, and passes a failed flush to every waiter', async () => {
    const flushed: number[][] = []
    const batcher = createBatcher<number>(
      async (keys) => {
        flushed.push([...keys])
        if (keys.includes(3)) throw new Error('database down')
      },
      { maxSize: 2 },
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
