// Developer and operator entry point for migrations (the package scripts migrate:deploy and
// migrate:create run it after building). Reads DATABASE_URL; see README.md.
//
//   node scripts/migrate.mjs deploy          apply pending migrations to DATABASE_URL
//   node scripts/migrate.mjs create <name>   write prisma/migrations/<ts>_<name>/migration.sql
import { createMigration, migrateDatabase, redactDatabaseUrl } from '../dist/index.js'

const [command, name] = process.argv.slice(2)
const url = process.env.DATABASE_URL
const usage = 'usage: migrate.mjs deploy | create <snake_case_name>   (DATABASE_URL must be set)'

if (!url || (command !== 'deploy' && command !== 'create') || (command === 'create' && !name)) {
  console.error(usage)
  process.exit(2)
}

try {
  if (command === 'deploy') {
    const applied = await migrateDatabase(url)
    console.log(
      applied.length === 0
        ? `${redactDatabaseUrl(url)} is up to date`
        : `applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}`,
    )
  } else {
    const created = await createMigration(name, { databaseUrl: url })
    console.log(
      created
        ? `created ${created.file}\nReview it, add what Prisma cannot express (README.md), then commit.`
        : 'no changes: the migrations already match the schema',
    )
  }
  // The Wasm engine leaves a timer running for up to 10 s after it is freed; don't wait for it.
  process.exit(0)
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
