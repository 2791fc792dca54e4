import { describe, expect, it } from 'vitest'
import { parseDuration } from './duration.js'
import { CliError } from './io.js'

describe('parseDuration', () => {
  it('parses seconds, minutes, hours, days and weeks', () => {
    expect(parseDuration('45s')).toBe(45_000)
    expect(parseDuration('90m')).toBe(90 * 60_000)
    expect(parseDuration('12h')).toBe(12 * 3_600_000)
    expect(parseDuration('30d')).toBe(30 * 86_400_000)
    expect(parseDuration('2w')).toBe(14 * 86_400_000)
  })

  it('means no expiry for "never"', () => {
    expect(parseDuration('never')).toBeUndefined()
  })

  it.each(['', '0d', '-1d', '1y', '1.5d', 'd', '30 days'])(
    'rejects %j as a usage error',
    (text) => {
      expect(() => parseDuration(text)).toThrow(CliError)
      try {
        parseDuration(text)
      } catch (error) {
        expect((error as CliError).exitCode).toBe(2)
      }
    },
  )
})
