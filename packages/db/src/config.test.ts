import { ConfigError, parseConfig } from '@pinion/service-kit'
import { describe, expect, it } from 'vitest'
import { databaseSchema } from './config.js'

describe('databaseSchema', () => {
  it('requires a postgres URL and defaults the pool size', () => {
    expect(parseConfig(databaseSchema, { DATABASE_URL: 'postgresql://u:p@h:5432/db' })).toEqual({
      DATABASE_URL: 'postgresql://u:p@h:5432/db',
      DATABASE_POOL_MAX: 10,
    })
    expect(
      parseConfig(databaseSchema, { DATABASE_URL: 'postgres://h/db', DATABASE_POOL_MAX: '3' })
        .DATABASE_POOL_MAX,
    ).toBe(3)
  })

  it('names the bad variables without echoing their values', () => {
    const error = (() => {
      try {
        parseConfig(databaseSchema, { DATABASE_URL: 'mysql://secret@h/db', DATABASE_POOL_MAX: '0' })
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    expect(problems).toMatch(/DATABASE_URL/)
    expect(problems).toMatch(/DATABASE_POOL_MAX/)
    expect(problems).not.toMatch(/secret/)
    expect(() => parseConfig(databaseSchema, {})).toThrow(/DATABASE_URL/)
  })
})
