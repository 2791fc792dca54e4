import { describe, expect, it } from 'vitest'
import { retryDelay } from './backoff.js'

describe('retryDelay', () => {
  const schedule = [1000, 5000, 30_000]

  it('follows the schedule, one entry per failed delivery', () => {
    expect(retryDelay(schedule, 1)).toBe(1000)
    expect(retryDelay(schedule, 2)).toBe(5000)
    expect(retryDelay(schedule, 3)).toBe(30_000)
  })

  it('repeats the last entry after the schedule ends', () => {
    expect(retryDelay(schedule, 4)).toBe(30_000)
    expect(retryDelay(schedule, 100)).toBe(30_000)
    expect(retryDelay([0], 7)).toBe(0)
  })

  it('rejects an empty schedule and delivery counts below 1', () => {
    expect(() => retryDelay([], 1)).toThrow(RangeError)
    expect(() => retryDelay(schedule, 0)).toThrow(RangeError)
    expect(() => retryDelay(schedule, 1.5)).toThrow(RangeError)
  })
})
