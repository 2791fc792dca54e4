import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ConfigError, envBoolean, envList, httpSchema, logSchema, parseConfig } from './config.js'

const schema = z.object({
  ...httpSchema.shape,
  ...logSchema.shape,
  DATABASE_URL: z.url(),
  FEATURE_ENABLED: envBoolean.default(false),
  ORIGINS: envList(z.url()).default([]),
})

describe('parseConfig', () => {
  it('applies defaults and coerces numbers and booleans', () => {
    const config = parseConfig(schema, {
      DATABASE_URL: 'postgresql://u:p@h/db',
      PORT: '9000',
      FEATURE_ENABLED: 'false',
    })
    expect(config.PORT).toBe(9000)
    expect(config.HOST).toBe('0.0.0.0')
    expect(config.LOG_LEVEL).toBe('info')
    expect(config.FEATURE_ENABLED).toBe(false)
  })

  it('treats "false" as false and rejects words that are not booleans', () => {
    expect(
      parseConfig(schema, { DATABASE_URL: 'http://x', FEATURE_ENABLED: 'true' }).FEATURE_ENABLED,
    ).toBe(true)
    expect(() =>
      parseConfig(schema, { DATABASE_URL: 'http://x', FEATURE_ENABLED: 'maybe' }),
    ).toThrow(ConfigError)
  })

  it('treats empty strings as unset', () => {
    expect(parseConfig(schema, { DATABASE_URL: 'http://x', PORT: '' }).PORT).toBe(8080)
  })

  it('splits comma lists and validates each item', () => {
    const config = parseConfig(schema, {
      DATABASE_URL: 'http://x',
      ORIGINS: 'https://a.example, https://b.example,',
    })
    expect(config.ORIGINS).toEqual(['https://a.example', 'https://b.example'])
    expect(() => parseConfig(schema, { DATABASE_URL: 'http://x', ORIGINS: 'not a url' })).toThrow(
      ConfigError,
    )
  })

  it('lists every bad variable by name and never prints a value', () => {
    const secret = 'hunter2-very-secret'
    try {
      parseConfig(schema, { DATABASE_URL: secret, PORT: 'eighty', LOG_LEVEL: 'loud' })
      expect.unreachable('parseConfig should have thrown')
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      const problems = (error as ConfigError).problems
      expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
        'DATABASE_URL',
        'LOG_LEVEL',
        'PORT',
      ])
      expect((error as ConfigError).message).not.toContain('hunter2')
      expect((error as ConfigError).message).not.toContain('eighty')
      expect((error as ConfigError).message).not.toContain('loud')
    }
  })
})
