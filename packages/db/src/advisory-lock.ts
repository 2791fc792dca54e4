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
  /** Held by the worker instance whose pin sweeper runs this round (one sweeper at a time). */
  workerSweeper: 7_305_618_003n,
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

/**
 * Runs `fn` only if the session-level advisory lock `key` is free right now, holding it (on a
 * connection of its own) while `fn` runs; otherwise returns `{ acquired: false }` at once. For work
 * that one instance of a replicated service should do at a time (the worker's sweeper), where
 * waiting for the lock would only repeat what the holder is doing.
 *
 * @throws whatever connecting or `fn` throws; a held lock is released in every case.
 */
export async function tryWithAdvisoryLock<T>(
  url: string,
  key: bigint,
  fn: () => Promise<T>,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  client.on('error', () => {})
  await client.connect()
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1) AS locked',
      [key.toString()],
    )
    if (rows[0]?.locked !== true) return { acquired: false }
    try {
      return { acquired: true, value: await fn() }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [key.toString()]).catch(() => {})
    }
  } finally {
    await client.end().catch(() => {})
  }
}
