import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  createDatabase,
  dropDatabase,
  listDatabases,
  postgresAdminUrl,
  uniqueName,
  withPostgresClient,
} from '@pinion/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MigrationError, createMigration, migrateDatabase } from '../src/index.js'

const prismaDir = fileURLToPath(new URL('../prisma/', import.meta.url))
const created: string[] = []

async function freshDatabase(): Promise<string> {
  const url = await createDatabase()
  created.push(url)
  return url
}

async function appliedMigrations(url: string): Promise<string[]> {
  return withPostgresClient(url, async (client) => {
    const { rows } = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1',
    )
    return rows.map((row) => row.migration_name)
  })
}

async function indexNames(url: string, table: string): Promise<string[]> {
  return withPostgresClient(url, async (client) => {
    const { rows } = await client.query<{ indexname: string }>(
      'SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY 1',
      [table],
    )
    return rows.map((row) => row.indexname)
  })
}

let shadowsBefore: string[]
beforeAll(async () => {
  shadowsBefore = await listDatabases('prisma_shadow_')
})

afterAll(async () => {
  await Promise.all(created.map((url) => dropDatabase(url)))
})

describe('migrateDatabase', () => {
  it('migrates an empty database from zero, then applies nothing on a re-run', async () => {
    const url = await freshDatabase()
    const first = await migrateDatabase(url)
    expect(first.length).toBeGreaterThan(0)
    expect(first.at(0)).toMatch(/^\d{14}_init$/)
    expect(await appliedMigrations(url)).toEqual([...first].sort())
    // The hand-written parts of the first migration are there too.
    expect(await indexNames(url, 'pins')).toEqual(
      expect.arrayContaining([
        'pins_live_user_status_created_idx',
        'pins_live_user_cid_key_idx',
        'pins_user_lower_name_idx',
        'pins_unpublished_idx',
        'pins_name_trgm_idx',
        'pins_meta_idx',
        'pins_user_id_created_key',
      ]),
    )
    expect(await migrateDatabase(url)).toEqual([])
  })

  it('lets concurrent runs apply each migration exactly once', async () => {
    const url = await freshDatabase()
    const results = await Promise.all([
      migrateDatabase(url),
      migrateDatabase(url),
      migrateDatabase(url),
    ])
    const nonEmpty = results.filter((names) => names.length > 0)
    expect(nonEmpty).toHaveLength(1)
    expect(await appliedMigrations(url)).toEqual([...(nonEmpty[0] ?? [])].sort())
  })

  it('works through a URL with a password that needs escaping', async () => {
    const role = uniqueName('pinion_role')
    const password = 'p@ss:w/rd?#%'
    const database = uniqueName('pinion_test')
    const adminUrl = postgresAdminUrl()
    await withPostgresClient(adminUrl, async (client) => {
      await client.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`)
      // Postgres 15 lets a non-superuser (the CI role has CREATEROLE) give a database to another
      // role only if it is a member of that role.
      await client.query(`GRANT "${role}" TO CURRENT_USER`)
      await client.query(`CREATE DATABASE "${database}" OWNER "${role}"`)
    })
    try {
      const url = new URL(adminUrl)
      url.username = role
      // The URL setter leaves '%' alone; a URL carries the password percent-encoded.
      url.password = encodeURIComponent(password)
      url.pathname = `/${database}`
      expect((await migrateDatabase(url.toString())).length).toBeGreaterThan(0)
      expect(await migrateDatabase(url.toString())).toEqual([])
    } finally {
      await dropDatabase(database)
      await withPostgresClient(adminUrl, (client) => client.query(`DROP ROLE "${role}"`))
    }
  })

  it('reports a failing migration with the database error', async () => {
    const url = await freshDatabase()
    const dir = await mkdtemp(path.join(tmpdir(), 'pinion-migrations-'))
    try {
      await cp(path.join(prismaDir, 'migrations'), dir, { recursive: true })
      const broken = path.join(dir, '29990101000000_broken')
      await mkdir(broken)
      await writeFile(path.join(broken, 'migration.sql'), 'ALTER TABLE "nope" ADD COLUMN "x" INT;')
      const failure = await migrateDatabase(url, { migrationsDir: dir }).catch((error) => error)
      expect(failure).toBeInstanceOf(MigrationError)
      expect(String(failure.message)).toMatch(/nope/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('createMigration', () => {
  let workDir: string
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'pinion-prisma-'))
    await cp(prismaDir, workDir, { recursive: true })
  })
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true })
  })

  const dirs = () => ({
    databaseUrl: postgresAdminUrl(),
    schemaDir: path.join(workDir, 'schema'),
    migrationsDir: path.join(workDir, 'migrations'),
  })

  it('finds nothing to do when the migrations match the schema, hand-written SQL included', async () => {
    expect(await createMigration('nothing', dirs())).toBeUndefined()
  })

  it('writes only the change, leaving hand-written indexes and constraints alone', async () => {
    const usersFile = path.join(workDir, 'schema', 'users.prisma')
    const schema = await readFile(usersFile, 'utf8')
    await writeFile(
      usersFile,
      schema.replace(
        '  role                    UserRole',
        '  bio String?\n  role                    UserRole',
      ),
    )
    const migration = await createMigration('add_bio', {
      ...dirs(),
      now: new Date('2999-01-02T03:04:05Z'),
    })
    expect(migration?.name).toBe('29990102030405_add_bio')
    expect(migration?.sql).toMatch(/ALTER TABLE "users" ADD COLUMN\s+"bio" TEXT;/)
    expect(migration?.sql).not.toMatch(/DROP|pins_|EXTENSION|CONSTRAINT/)
    expect(await readFile(migration?.file ?? '', 'utf8')).toBe(migration?.sql)

    // The new folder applies on top of the others.
    const url = await freshDatabase()
    const applied = await migrateDatabase(url, { migrationsDir: dirs().migrationsDir })
    expect(applied.at(-1)).toBe('29990102030405_add_bio')
  })

  it('rejects a name that is not snake_case', async () => {
    await expect(createMigration('Add Bio', dirs())).rejects.toThrow(RangeError)
  })

  it('leaves no shadow databases behind', async () => {
    expect(await listDatabases('prisma_shadow_')).toEqual(shadowsBefore)
  })
})
