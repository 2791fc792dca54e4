/**
 * Reads `prisma/schema/*.prisma` and `prisma/migrations/` into the shapes Prisma's schema engine
 * takes, and fingerprints the migrations (the test harness names template databases after it).
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg'
import type { SchemaFile } from './schema-engine.js'

export type { MigrationList }

/** This package's Prisma folder (`src/` and `dist/` are both one level below the package). */
const prismaDir = fileURLToPath(new URL('../prisma/', import.meta.url))

/** Where this package keeps its migrations: `packages/db/prisma/migrations`. */
export const defaultMigrationsDir = path.join(prismaDir, 'migrations')

/** Where this package keeps its schema files: `packages/db/prisma/schema`. */
export const defaultSchemaDir = path.join(prismaDir, 'schema')

/** Prisma's lock file; the engine refuses to create a migration without it. */
export const migrationLockFile = 'migration_lock.toml'

/**
 * The migration folder as the engine expects it: directories sorted by name (their timestamp
 * prefix), each with its `migration.sql` content or an error when the file is missing.
 *
 * @throws when `dir` does not exist.
 */
export async function readMigrationsList(dir: string): Promise<MigrationList> {
  const lockPath = path.join(dir, migrationLockFile)
  const entries = await readdir(dir, { withFileTypes: true })
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
  return {
    baseDir: dir,
    shadowDbInitScript: '',
    lockfile: {
      path: lockPath,
      content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null,
    },
    migrationDirectories: await Promise.all(
      names.map(async (name) => {
        const file = path.join(dir, name, 'migration.sql')
        const content = existsSync(file)
          ? { tag: 'ok' as const, value: await readFile(file, 'utf8') }
          : { tag: 'error' as const, value: `${file} is missing` }
        return { path: name, migrationFile: { path: 'migration.sql', content } }
      }),
    ),
  }
}

/**
 * Every `*.prisma` file of a multi-file schema folder, sorted by name.
 *
 * @throws when `dir` does not exist.
 */
export async function readSchemaFiles(dir: string): Promise<SchemaFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.prisma')).sort()
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name)
      return { path: file, content: await readFile(file, 'utf8') }
    }),
  )
}

/**
 * A short hex digest of every migration's name and SQL, in order: equal for two folders exactly
 * when they would produce the same database schema.
 */
export function migrationsFingerprint(list: MigrationList): string {
  const hash = createHash('sha256')
  for (const directory of list.migrationDirectories) {
    hash.update(`${directory.path}\0${directory.migrationFile.content.value}\0`)
  }
  return hash.digest('hex').slice(0, 16)
}
