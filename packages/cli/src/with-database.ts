import { createDatabase, type Database } from '@pinion/db'
import { databaseConfig } from './config.js'
import type { CliIo } from './io.js'

/** Opens the database for one command and always closes it, so the process can exit. */
export async function withDatabase<T>(
  io: CliIo,
  run: (database: Database) => Promise<T>,
): Promise<T> {
  const config = databaseConfig(io.env)
  const database = createDatabase({ url: config.DATABASE_URL, poolMax: 2, logger: io.logger })
  try {
    return await run(database)
  } finally {
    await database.close()
  }
}
