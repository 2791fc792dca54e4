import { describe, expect, it } from 'vitest'
import { parseTimestamp } from './timestamps.js'

describe('parseTimestamp', () => {
  it('keeps milliseconds and microseconds exactly', () => {
    expect(parseTimestamp('2020-07-27T17:32:28.276Z', 'up')?.text).toBe(
      '2020-07-27T17:32:28.276000Z',
    )
    expect(parseTimestamp('2020-07-27T17:32:28.276123Z', 'down')?.text).toBe(
      '2020-07-27T17:32:28.276123Z',
    )
  })

  it('rounds nanoseconds up for before and down for after', () => {
    expect(parseTimestamp('2020-07-27T17:32:28.276000001Z', 'up')?.text).toBe(
      '2020-07-27T17:32:28.276001Z',
    )
    expect(parseTimestamp('2020-07-27T17:32:28.276000999Z', 'down')?.text).toBe(
      '2020-07-27T17:32:28.276000Z',
    )
  })

  it('converts offsets, including a + that arrived as a space', () => {
    expect(parseTimestamp('2020-07-27T19:32:28+02:00', 'up')?.text).toBe(
      '2020-07-27T17:32:28.000000Z',
    )
    expect(parseTimestamp('2020-07-27T19:32:28.5 02:00', 'up')?.text).toBe(
      '2020-07-27T17:32:28.500000Z',
    )
    expect(parseTimestamp('2020-07-27T15:32:28-02:00', 'down')?.date.toISOString()).toBe(
      '2020-07-27T17:32:28.000Z',
    )
  })

  it.each([
    'yesterday',
    '2020-07-27',
    '2020-02-31T00:00:00Z',
    '2020-07-27T25:00:00Z',
    '2020-07-27T17:32:28',
    '2020-07-27T17:32:28.1234567890Z',
    '1595871148',
    '',
  ])('rejects %j', (value) => {
    expect(parseTimestamp(value, 'up')).toBeUndefined()
  })
})
