import { describe, expect, it } from 'vitest'
import { quoteIdentifier, redactDatabaseUrl, withDatabaseName } from './database-url.js'

describe('database URLs', () => {
  it('swaps the database and keeps credentials, host and parameters', () => {
    expect(withDatabaseName('postgresql://u:p%40ss@db:5433/app?sslmode=require', 'shadow_1')).toBe(
      'postgresql://u:p%40ss@db:5433/shadow_1?sslmode=require',
    )
    expect(withDatabaseName('postgresql://db', 'x')).toBe('postgresql://db/x')
  })

  it('hides the password only', () => {
    expect(redactDatabaseUrl('postgresql://u:secret@db/app')).toBe('postgresql://u:***@db/app')
    expect(redactDatabaseUrl('postgresql://u@db/app')).toBe('postgresql://u@db/app')
    expect(redactDatabaseUrl('not a url')).toBe('<invalid database URL>')
  })

  it('quotes identifiers', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"')
  })
})
