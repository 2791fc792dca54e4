/**
 * Fixed-window attempt counters in Postgres (the `attempt_windows` table), timed by the database's
 * clock so that every replica agrees on when a window started and ends.
 */
import type { DbClient } from '../db-client.js'

/**
 * Counts one attempt of `key`: the first in a window starts it; one after the window ended starts
 * a new one.
 *
 * @returns the attempts in the key's current window, this one included.
 */
export async function recordAttempt(db: DbClient, key: string, windowMs: number): Promise<number> {
  const rows = await db.$queryRaw<{ attempts: number }[]>`
    INSERT INTO attempt_windows (key, window_start, attempts) VALUES (${key}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
      window_start = CASE
        WHEN attempt_windows.window_start <= now() - ${windowMs} * interval '1 ms' THEN now()
        ELSE attempt_windows.window_start END,
      attempts = CASE
        WHEN attempt_windows.window_start <= now() - ${windowMs} * interval '1 ms' THEN 1
        ELSE attempt_windows.attempts + 1 END
    RETURNING attempts`
  return rows[0]?.attempts ?? 1
}

/** Seconds until `key`'s window ends if it holds `maxAttempts` or more attempts, else 0. */
export async function attemptsWait(
  db: DbClient,
  key: string,
  windowMs: number,
  maxAttempts: number,
): Promise<number> {
  const rows = await db.$queryRaw<{ wait: number }[]>`
    SELECT ceil(extract(epoch FROM window_start + ${windowMs} * interval '1 ms' - now()))::int
      AS wait
    FROM attempt_windows
    WHERE key = ${key} AND attempts >= ${maxAttempts}
      AND window_start > now() - ${windowMs} * interval '1 ms'`
  const wait = rows[0]?.wait
  return wait === undefined ? 0 : Math.max(1, wait)
}

/** Forgets `key`'s attempts. */
export async function clearAttempts(db: DbClient, key: string): Promise<void> {
  await db.attemptWindow.deleteMany({ where: { key } })
}

/** Deletes windows that started more than `olderThanMs` ago; returns how many. */
export async function pruneAttempts(db: DbClient, olderThanMs: number): Promise<number> {
  return db.$executeRaw`
    DELETE FROM attempt_windows WHERE window_start < now() - ${olderThanMs} * interval '1 ms'`
}
