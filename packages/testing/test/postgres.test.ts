import { afterAll, describe, expect, it } from 'vitest'
import {
  createDatabase,
  createDatabaseFromTemplate,
  defaultPostgresAdminUrl,
  dropDatabase,
  listDatabases,
  postgresAdminUrl,
  postgresDatabaseUrl,
  uniqueName,
  withPostgresClient,
} from '../src/index.js'

const prefix = uniqueName('pinion_harness')
afterAll(async () => {
  for (const name of await listDatabases(prefix)) await dropDatabase(name)
})

describe('Postgres harness', () => {
  it('reads the admin URL from PINION_TEST_DATABASE_URL, with a local default', () => {
    const url = postgresAdminUrl()
    expect(url).toBe(process.env.PINION_TEST_DATABASE_URL || defaultPostgresAdminUrl)
    expect(
      postgresDatabaseUrl('other db', 'postgresql://u:p%40ss@h:5433/postgres?sslmode=disable'),
    ).toBe('postgresql://u:p%40ss@h:5433/other%20db?sslmode=disable')
  })

  it('creates an empty database, copies it as a template, and drops both', async () => {
    const template = await createDatabase({ name: `${prefix}_tpl` })
    await withPostgresClient(template, (client) =>
      client.query('CREATE TABLE marker (id int); INSERT INTO marker VALUES (42)'),
    )
    const copy = await createDatabaseFromTemplate(`${prefix}_tpl`, { name: `${prefix}_copy` })
    const rows = await withPostgresClient(copy, async (client) => {
      const result = await client.query<{ id: number }>('SELECT id FROM marker')
      return result.rows
    })
    expect(rows).toEqual([{ id: 42 }])
    expect(await listDatabases(prefix)).toEqual([`${prefix}_copy`, `${prefix}_tpl`])

    // Dropping disconnects whoever is still connected.
    await withPostgresClient(copy, async () => {
      await dropDatabase(copy)
    })
    await dropDatabase(`${prefix}_tpl`)
    await dropDatabase(`${prefix}_never_existed`)
    expect(await listDatabases(prefix)).toEqual([])
  })

  it('names databases uniquely', async () => {
    const url = await createDatabase()
    try {
      expect(new URL(url).pathname).toMatch(/^\/pinion_test_\d+_[0-9a-f]{8}$/)
    } finally {
      await dropDatabase(url)
    }
  })
})
