import pg from 'pg'

/**
 * Advisory-lock keys this package takes, in one place so that two uses never collide. Prisma's own
 * engine uses 72707369 on the migrated database; ours differ from it.
 */
export const advisoryLockKeys = {
  /** Held around applying migrations to one database. */
  migrate: 7_305_618_001n,
  /** Held (on the server's maintenance database) while a test template database is built. */
  testTemplate: 7_305_618_002n,
} as const

/**
 * Runs `fn` while holding the session-level advisory lock `key` on the database at `url`, on a
 * connection of its own (so the lock is held for exactly as long as `fn` runs, whatever pools `fn`
 * uses). Waits for the lock as long as another session holds it.
 *
 * @throws whatever connecting or `fn` throws; the lock is released in every case.
 */
export async function withAdvisoryLock<T>(
  url: string,
  key: bigint,
  fn: () => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  // An idle client that loses its server emits 'error'; without a listener that would crash.
  client.on('error', () => {})
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [key.toString()])
    try {
      return await fn()
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [key.toString()]).catch(() => {})
    }
  } finally {
    await client.end().catch(() => {})
  }
}
