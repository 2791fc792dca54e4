/**
 * Harnesses that start or reuse the real servers Pinion's tests talk to (Postgres, NATS JetStream,
 * the stand-in Kubo), plus builders for test data. Nothing here mocks our own infrastructure.
 *
 * @example
 * ```ts
 * import { createDatabase, dropDatabase, uniqueName } from '@pinion/testing'
 * const url = await createDatabase() // a fresh, empty database on the shared test server
 * await dropDatabase(url)
 * const stream = uniqueName('PINS')
 * ```
 */
export { uniqueName } from './unique-name.js'
export {
  createDatabase,
  createDatabaseFromTemplate,
  defaultPostgresAdminUrl,
  dropDatabase,
  listDatabases,
  postgresAdminUrl,
  postgresDatabaseUrl,
  withPostgresClient,
  type CreateDatabaseOptions,
} from './postgres.js'
export { createTcpProxy, type CutMode, type TcpProxy, type TcpTarget } from './tcp-proxy.js'
