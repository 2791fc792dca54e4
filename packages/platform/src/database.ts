import { createDatabase, type Database, type DatabaseConfig } from '@pinion/db'
import type { ServiceDeps } from '@pinion/service-kit'

/**
 * Opens the service's Postgres client and registers it: started first and closed last, checked by
 * /readyz, and its "database unreachable" errors answered as 503 by the error middleware.
 */
export function attachDatabase(deps: ServiceDeps, config: DatabaseConfig): Database {
  const database = createDatabase({
    url: config.DATABASE_URL,
    poolMax: config.DATABASE_POOL_MAX,
    logger: deps.logger,
  })
  deps.startables.push(database.startable)
  deps.readinessChecks.push(database.healthCheck)
  deps.errorTranslators.push(database.errorTranslator)
  return database
}
