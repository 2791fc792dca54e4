import { describe, expect, it } from 'vitest'
import { mergeUsageDeltas, usagePeriodStart } from './usage-period.js'

const u1 = '00000000-0000-4000-8000-000000000001'
const u2 = '00000000-0000-4000-8000-000000000002'

describe('usagePeriodStart', () => {
  it('buckets by UTC day whatever the local offset', () => {
    expect(usagePeriodStart(new Date('2030-03-01T23:59:59.999Z'))).toBe('2030-03-01')
    expect(usagePeriodStart(new Date('2030-03-02T00:30:00+01:00'))).toBe('2030-03-01')
    expect(() => usagePeriodStart(new Date('nope'))).toThrow(RangeError)
  })
})

describe('mergeUsageDeltas', () => {
  it('sums equal keys, drops zero rows and sorts by key', () => {
    const at = new Date('2030-03-01T12:00:00Z')
    const rows = mergeUsageDeltas([
      { userId: u2, metric: 'gateway_bytes', delta: 5, at },
      { userId: u1, metric: 'gateway_bytes', delta: 2n, at },
      { userId: u2, metric: 'gateway_bytes', delta: 2n ** 60n, at },
      { userId: u1, metric: 'pin_count', delta: 1, at },
      { userId: u1, metric: 'pin_count', delta: -1, at },
      { userId: u1, metric: 'gateway_bytes', delta: 3, at: new Date('2030-03-02T00:00:00Z') },
    ])
    expect(rows).toEqual([
      { userId: u1, metric: 'gateway_bytes', periodStart: '2030-03-01', delta: 2n },
      { userId: u1, metric: 'gateway_bytes', periodStart: '2030-03-02', delta: 3n },
      { userId: u2, metric: 'gateway_bytes', periodStart: '2030-03-01', delta: 2n ** 60n + 5n },
    ])
  })

  it('uses `now` for deltas without a time, and refuses fractions', () => {
    const now = new Date('2031-01-01T00:00:00Z')
    expect(mergeUsageDeltas([{ userId: u1, metric: 'upload_bytes', delta: 1 }], now)).toEqual([
      { userId: u1, metric: 'upload_bytes', periodStart: '2031-01-01', delta: 1n },
    ])
    expect(() => mergeUsageDeltas([{ userId: u1, metric: 'upload_bytes', delta: 0.5 }])).toThrow(
      RangeError,
    )
  })
})
