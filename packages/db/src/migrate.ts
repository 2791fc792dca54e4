/**
 * Applying and creating migrations with Prisma's Wasm schema engine (see schema-engine.ts for why
 * not the CLI). Migrations stay in Prisma's folder layout and `_prisma_migrations` table, so the
 * real Prisma CLI, where it can run, sees the same history.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Logger } from '@pinion/service-kit'
import { advisoryLockKeys, withAdvisoryLock } from './advisory-lock.js'
import { redactDatabaseUrl } from './database-url.js'
import {
  defaultMigrationsDir,
  defaultSchemaDir,
  migrationLockFile,
  readMigrationsList,
  readSchemaFiles,
} from './migrations-folder.js'
import { isEmptyMigrationScript, migrationDirectoryName } from './migration-name.js'
import { withSchemaEngine } from './schema-engine.js'

const noFilters = { externalTables: [], externalEnums: [] }

/**
 * Applying migrations needs no models, but the engine insists on one schema file to learn the
 * provider from; this keeps `migrateDatabase` independent of the schema folder.
 */
const providerOnlySchema = [
  { path: 'migrate.prisma', content: 'datasource db {\n  provider = "postgresql"\n}\n' },
]

/** Options of {@link migrateDatabase}. */
export interface MigrateOptions {
  /** Receives one info line per applied migration. */
  logger?: Logger
  /** Defaults to this package's `prisma/migrations`. */
  migrationsDir?: string
}

/** A migration failed to apply; `cause` carries the engine's error (SQL state, statement). */
export class MigrationError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options)
    this.name = 'MigrationError'
  }
}

function engineMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Applies every pending migration to the database at `databaseUrl` and records it in
 * `_prisma_migrations`, like `prisma migrate deploy`. Re-running applies nothing. Safe to run from
 * several processes at once: an advisory lock serialises them and the later ones find nothing to
 * do. Each migration runs as one transaction.
 *
 * @returns the names of the migrations applied now, oldest first (empty when up to date).
 * @throws MigrationError when a migration fails (it stays recorded as failed, as with Prisma).
 */
export async function migrateDatabase(
  databaseUrl: string,
  options: MigrateOptions = {},
): Promise<string[]> {
  const migrationsList = await readMigrationsList(options.migrationsDir ?? defaultMigrationsDir)
  const log = options.logger?.child({ component: 'migrate' })
  return withAdvisoryLock(databaseUrl, advisoryLockKeys.migrate, async () => {
    let applied: string[]
    try {
      applied = await withSchemaEngine(databaseUrl, providerOnlySchema, async (engine) => {
        const output = await engine.applyMigrations({ migrationsList, filters: noFilters })
        return output.appliedMigrationNames
      })
    } catch (error) {
      throw new MigrationError(
        `Migrating ${redactDatabaseUrl(databaseUrl)} failed: ${engineMessage(error)}`,
        { cause: error },
      )
    }
    for (const name of applied) log?.info({ migration: name }, 'migration applied')
    if (applied.length === 0) log?.info('database schema is up to date')
    return applied
  })
}

/** Options of {@link createMigration}. */
export interface CreateMigrationOptions {
  /**
   * A Postgres server the engine may create (and drops again) a shadow database on, to replay the
   * existing migrations; the database itself is not changed. Needs CREATEDB.
   */
  databaseUrl: string
  /** Defaults to this package's `prisma/schema`. */
  schemaDir?: string
  /** Defaults to this package's `prisma/migrations`. */
  migrationsDir?: string
  /** Clock for the folder's timestamp (tests). */
  now?: Date
}

/** What {@link createMigration} wrote. */
export interface CreatedMigration {
  /** Folder name, `<timestamp>_<name>`. */
  name: string
  /** Absolute path of the new `migration.sql`. */
  file: string
  sql: string
}

/**
 * Writes a new migration that takes the database from the state the existing migrations produce
 * to the state the Prisma schema describes (`prisma migrate dev --create-only`). Review the SQL
 * before committing it; add what Prisma cannot express by hand (README.md, "Hand-written SQL").
 *
 * @param name snake_case description, e.g. `add_pin_index`.
 * @returns the new migration, or undefined when the schema matches the migrations already.
 * @throws RangeError for a bad name; Error when the engine fails (e.g. invalid schema).
 */
export async function createMigration(
  name: string,
  options: CreateMigrationOptions,
): Promise<CreatedMigration | undefined> {
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir
  const directoryName = migrationDirectoryName(name, options.now ?? new Date())
  const lockPath = path.join(migrationsDir, migrationLockFile)
  if (!existsSync(lockPath)) {
    await mkdir(migrationsDir, { recursive: true })
    await writeFile(lockPath, 'provider = "postgresql"\n')
  }
  const files = await readSchemaFiles(options.schemaDir ?? defaultSchemaDir)
  const migrationsList = await readMigrationsList(migrationsDir)
  const result = await withSchemaEngine(options.databaseUrl, files, (engine) =>
    engine.diff({
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      filters: noFilters,
    }),
  )
  const sql = result.stdout ?? ''
  if (isEmptyMigrationScript(sql)) return undefined
  const file = path.join(migrationsDir, directoryName, 'migration.sql')
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, sql)
  return { name: directoryName, file, sql }
}
