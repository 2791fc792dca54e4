import { listDatabases, withPostgresClient } from '@pinion/testing'
import { describe, expect, it } from 'vitest'
import { createTestDatabase, ensureTemplateDatabase, templatePrefix } from '../src/testing.js'
import { migrateDatabase } from '../src/index.js'

describe('createTestDatabase', () => {
  it('gives each caller its own migrated database from one template, and drops it', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()])
    try {
      expect(a.url).not.toBe(b.url)
      const template = await ensureTemplateDatabase()
      expect(template.startsWith(templatePrefix)).toBe(true)
      expect(await listDatabases(template)).toEqual([template])
      // Already migrated: nothing left to apply, and the schema is usable.
      expect(await migrateDatabase(a.url)).toEqual([])
      await a.prisma.user.create({ data: { email: 'a@example.org', displayName: 'A' } })
      expect(await b.prisma.user.count()).toBe(0)
    } finally {
      await Promise.all([a.drop(), b.drop()])
    }
    const names = [a.url, b.url].map((url) => new URL(url).pathname.slice(1))
    for (const name of names) expect(await listDatabases(name)).toEqual([])
  })

  it('reuses the template for the same migrations and leaves no half-built one', async () => {
    const first = await ensureTemplateDatabase()
    expect(await ensureTemplateDatabase()).toBe(first)
    expect(await listDatabases(`${templatePrefix}build`)).toEqual([])
    const db = await createTestDatabase()
    await db.drop()
    await expect(withPostgresClient(db.url, async () => 0)).rejects.toThrow(/does not exist/)
  })
})
