import { migrateDatabase } from '@pinion/db'
import type { Command } from 'commander'
import { databaseConfig } from '../config.js'
import type { CliIo } from '../io.js'

/** `pinion migrate`: applies pending migrations; running it again applies nothing. */
export function registerMigrate(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('apply pending database migrations (DATABASE_URL)')
    .action(async () => {
      const { DATABASE_URL } = databaseConfig(io.env)
      const applied = await migrateDatabase(DATABASE_URL, { logger: io.logger })
      io.err(
        applied.length === 0 ? 'database is up to date' : `applied ${applied.length} migration(s)`,
      )
      for (const name of applied) io.out(name)
    })
}
