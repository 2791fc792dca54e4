/**
 * `@pinion/db/testing`: a migrated, empty database per test file, fast. The migrations run once
 * per schema version into a template database (`pinion_tpl_<hash of the migrations>`), which is
 * kept on the server for later runs; each test file then gets a file-level copy of it
 * (`CREATE DATABASE … TEMPLATE …`, tens of milliseconds) and drops it when done.
 *
 * @example
 * ```ts
 * import { createTestDatabase, type TestDatabase } from '@pinion/db/testing'
 * let db: TestDatabase
 * beforeAll(async () => { db = await createTestDatabase() })
 * afterAll(() => db.drop())
 * ```
 */
import {
  createDatabaseFromTemplate,
  dropDatabase,
  postgresAdminUrl,
  postgresDatabaseUrl,
  uniqueName,
  withPostgresClient,
} from '@pinion/testing'
import { createHash } from 'node:crypto'
import { createLogger } from '@pinion/service-kit'
import { advisoryLockKeys, withAdvisoryLock } from './advisory-lock.js'
import { createDatabase, type Database } from './client.js'
import type { PrismaClient } from './generated/prisma/client.js'
import { migrateDatabase } from './migrate.js'
import {
  defaultMigrationsDir,
  migrationsFingerprint,
  readMigrationsList,
} from './migrations-folder.js'

/** Prefix of every template database this harness builds. */
export const templatePrefix = 'pinion_tpl_'

/** A fresh, migrated database for one test file. */
export interface TestDatabase {
  /** Its URL (same server and role as `PINION_TEST_DATABASE_URL`). */
  readonly url: string
  /** A client on it (pool of 10, silent logger). */
  readonly prisma: PrismaClient
  /** The whole {@link Database} behind `prisma` (health check, translator, …). */
  readonly database: Database
  /** Closes the client and drops the database. */
  drop(): Promise<void>
}

const templates = new Map<string, Promise<string>>()

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withPostgresClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    return rowCount === 1
  })
}

/**
 * Builds the template for the current migrations unless it exists. Under an advisory lock so
 * that parallel test workers (and other people's runs on the same server) build it once; built
 * under a temporary name and renamed when complete, so a crash never leaves a half-migrated
 * template behind under the real name.
 */
async function buildTemplate(adminUrl: string, name: string): Promise<string> {
  return withAdvisoryLock(adminUrl, advisoryLockKeys.testTemplate, async () => {
    if (await databaseExists(adminUrl, name)) return name
    const building = uniqueName(`${templatePrefix}build`)
    await withPostgresClient(adminUrl, (client) => client.query(`CREATE DATABASE "${building}"`))
    try {
      await migrateDatabase(postgresDatabaseUrl(building, adminUrl))
      await withPostgresClient(adminUrl, (client) =>
        client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`),
      )
    } catch (error) {
      await dropDatabase(building, { adminUrl })
      throw error
    }
    return name
  })
}

/** The name of the template database for the migrations on disk, building it if needed. */
export async function ensureTemplateDatabase(adminUrl = postgresAdminUrl()): Promise<string> {
  const list = await readMigrationsList(defaultMigrationsDir)
  // Postgres lets a role copy only databases it owns (or flagged templates), so each role that runs
  // the tests builds its own template: the name carries a hash of the role as well.
  const role = decodeURIComponent(new URL(adminUrl).username) || 'postgres'
  const roleHash = createHash('sha256').update(role).digest('hex').slice(0, 6)
  const name = `${templatePrefix}${roleHash}_${migrationsFingerprint(list)}`
  const key = `${adminUrl}\0${name}`
  let template = templates.get(key)
  if (!template) {
    template = buildTemplate(adminUrl, name)
    templates.set(key, template)
    template.catch(() => templates.delete(key))
  }
  return template
}

/**
 * A new database with every migration applied, and a client on it. Drop it in `afterAll`.
 *
 * @throws when Postgres is unreachable or the role may not create databases.
 */
export async function createTestDatabase(
  options: { adminUrl?: string } = {},
): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? postgresAdminUrl()
  const template = await ensureTemplateDatabase(adminUrl)
  const url = await createDatabaseFromTemplate(template, { adminUrl })
  const database = createDatabase({
    url,
    // Generous: test suites run many queries at once on a shared, busy machine.
    connectTimeoutMs: 10_000,
    logger: createLogger({ service: 'test', level: 'silent' }),
  })
  return {
    url,
    prisma: database.prisma,
    database,
    async drop() {
      await database.close()
      await dropDatabase(url, { adminUrl })
    },
  }
}
