import { describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../test/fixtures/tokens.js'
import { createLastUsedTracker } from './last-used.js'

describe('createLastUsedTracker', () => {
  it('reports the first use at once and then at most once per interval per token', async () => {
    const reports: [string, Date][] = []
    const tracker = createLastUsedTracker(
      { record: (tokenId, usedAt) => void reports.push([tokenId, usedAt]), logger: silentLogger() },
      { intervalMs: 40 },
    )
    for (let i = 0; i < 10; i++) tracker.touch('a')
    tracker.touch('b')
    await vi.waitFor(() => expect(reports.map(([id]) => id)).toEqual(['a', 'b']))
    expect(reports[0]![1]).toBeInstanceOf(Date)
    await new Promise((resolve) => setTimeout(resolve, 60))
    tracker.touch('a')
    await vi.waitFor(() => expect(reports.map(([id]) => id)).toEqual(['a', 'b', 'a']))
  })

  it('never lets a failing store reach the request', async () => {
    const record = vi.fn(() => Promise.reject(new Error('db down')))
    const tracker = createLastUsedTracker({ record, logger: silentLogger() })
    expect(() => tracker.touch('a')).not.toThrow()
    await vi.waitFor(() => expect(record).toHaveBeenCalledTimes(1))
    const throwing = createLastUsedTracker({
      record: () => {
        throw new Error('sync failure')
      },
      logger: silentLogger(),
    })
    expect(() => throwing.touch('a')).not.toThrow()
  })

  it('forgets the least recently reported tokens beyond maxEntries', async () => {
    const record = vi.fn()
    const tracker = createLastUsedTracker(
      { record, logger: silentLogger() },
      { intervalMs: 60_000, maxEntries: 2 },
    )
    for (const id of ['a', 'b', 'c', 'c', 'a']) tracker.touch(id)
    await vi.waitFor(() =>
      expect(record.mock.calls.map(([id]) => id)).toEqual(['a', 'b', 'c', 'a']),
    )
  })
})
