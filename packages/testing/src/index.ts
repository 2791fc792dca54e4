/**
 * Harnesses that start or reuse the real servers Pinion's tests talk to (Postgres, NATS JetStream,
 * the stand-in Kubo), plus builders for test data. Nothing here mocks our own infrastructure.
 *
 * @example
 * ```ts
 * import { createDatabase, dropDatabase, natsUrl, startKubo, uniqueNamespace, cleanupNamespace } from '@pinion/testing'
 * const url = await createDatabase() // a fresh, empty database on the shared test server
 * const namespace = uniqueNamespace() // streams T…_PINS, subjects t….pinion.pins.requested
 * afterAll(async () => { await dropDatabase(url); await cleanupNamespace(natsUrl(), namespace) })
 * const kubo = await startKubo() // js-ipfs daemon, offline, free ports: KUBO_RPC_URL = kubo.rpcUrl
 * ```
 */
export { uniqueName } from './unique-name.js'
export { startKubo, type RunningKubo, type StartKuboOptions } from './kubo.js'
export {
  cleanupNamespace,
  findNatsServerBinary,
  natsUrl,
  startNatsServer,
  uniqueNamespace,
  type NatsServerHandle,
  type NatsServerOptions,
} from './nats.js'
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
export {
  startFakeGitHubOAuth,
  type FakeGitHubOAuth,
  type FakeGitHubUser,
} from './fake-github-oauth.js'
