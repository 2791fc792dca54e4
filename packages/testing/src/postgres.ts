/**
 * Fresh Postgres databases for tests on a shared server: create (empty or from a template), drop,
 * list. Generic: it knows nothing of Pinion's schema (`@pinion/db/testing` builds on it).
 */
import pg from 'pg'
import { uniqueName } from './unique-name.js'

/** Where tests reach Postgres when `PINION_TEST_DATABASE_URL` is not set. */
export const defaultPostgresAdminUrl = 'postgresql://postgres@127.0.0.1:5432/postgres'

/**
 * A URL to the test server's maintenance database with a role that may create databases:
 * `PINION_TEST_DATABASE_URL` (put a password in it where auth is scram), else
 * {@link defaultPostgresAdminUrl}.
 */
export function postgresAdminUrl(): string {
  const fromEnv = process.env.PINION_TEST_DATABASE_URL
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : defaultPostgresAdminUrl
}

/** The URL of database `name` on the same server (and as the same role) as `adminUrl`. */
export function postgresDatabaseUrl(name: string, adminUrl = postgresAdminUrl()): string {
  const url = new URL(adminUrl)
  url.pathname = `/${encodeURIComponent(name)}`
  return url.toString()
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * Runs `fn` with a short-lived client connected to `url`, then closes it.
 *
 * @throws whatever connecting or `fn` throws.
 */
export async function withPostgresClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => {})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => {})
  }
}

export interface CreateDatabaseOptions {
  /** Defaults to `uniqueName('pinion_test')`. */
  name?: string
  adminUrl?: string
}

/**
 * Creates an empty database and returns its URL.
 *
 * @throws when the role may not create databases or the name is taken.
 */
export async function createDatabase(options: CreateDatabaseOptions = {}): Promise<string> {
  const adminUrl = options.adminUrl ?? postgresAdminUrl()
  const name = options.name ?? uniqueName('pinion_test')
  await withPostgresClient(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${quoteIdentifier(name)}`),
  )
  return postgresDatabaseUrl(name, adminUrl)
}

/**
 * Creates a database as a file-level copy of `template` (fast: no migrations run) and returns its
 * URL. Nobody may be connected to the template while it is copied.
 *
 * @throws when the template does not exist or is in use.
 */
export async function createDatabaseFromTemplate(
  template: string,
  options: CreateDatabaseOptions = {},
): Promise<string> {
  const adminUrl = options.adminUrl ?? postgresAdminUrl()
  const name = options.name ?? uniqueName('pinion_test')
  await withPostgresClient(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`),
  )
  return postgresDatabaseUrl(name, adminUrl)
}

/**
 * Drops a database (given by name or URL) if it exists, disconnecting its sessions first.
 *
 * @throws when the server is unreachable.
 */
export async function dropDatabase(
  nameOrUrl: string,
  options: { adminUrl?: string } = {},
): Promise<void> {
  const name = /^postgres(ql)?:\/\//.test(nameOrUrl)
    ? decodeURIComponent(new URL(nameOrUrl).pathname.slice(1))
    : nameOrUrl
  await withPostgresClient(options.adminUrl ?? postgresAdminUrl(), (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
  )
}

/** Names of the server's databases that start with `prefix`, sorted. */
export async function listDatabases(
  prefix: string,
  adminUrl = postgresAdminUrl(),
): Promise<string[]> {
  return withPostgresClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname',
      [prefix],
    )
    return rows.map((row) => row.datname)
  })
}
