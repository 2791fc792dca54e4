/**
 * Throttles attempts per key (failed sign-ins per e-mail + client address, sign-ups per address)
 * in fixed windows kept in Postgres, so every dashboard replica counts against the same limit and
 * a restart forgets nothing. Keys are stored as SHA-256 digests: the table never holds an e-mail.
 */
import { createHash } from 'node:crypto'
import {
  attemptsWait,
  clearAttempts,
  pruneAttempts,
  recordAttempt,
  type DbClient,
} from '@pinion/db'
import { periodicTask, type Startable } from '@pinion/service-kit'

export interface AttemptLimiter {
  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string): Promise<number>
  /** Records one attempt of `key`. */
  record(key: string): Promise<void>
  /** Forgets `key` (a successful sign-in). */
  reset(key: string): Promise<void>
}

export interface AttemptLimiterInit {
  /** Keeps one limiter's keys apart from another's (`signin`, `signup`). */
  purpose: string
  maxAttempts: number
  windowMs: number
}

export function createAttemptLimiter(prisma: DbClient, init: AttemptLimiterInit): AttemptLimiter {
  const digest = (key: string) =>
    createHash('sha256').update(`${init.purpose}\0${key}`).digest('base64url')
  return {
    retryAfter: (key) => attemptsWait(prisma, digest(key), init.windowMs, init.maxAttempts),
    async record(key) {
      await recordAttempt(prisma, digest(key), init.windowMs)
    },
    reset: (key) => clearAttempts(prisma, digest(key)),
  }
}

/**
 * Deletes windows older than the longest any limiter uses (a day, the configuration's bound),
 * every `everyMs` while the dashboard runs.
 */
export function createAttemptPruner(
  prisma: DbClient,
  init: { everyMs?: number; olderThanMs?: number } = {},
): Startable {
  const olderThanMs = init.olderThanMs ?? 86_400_000
  return periodicTask({
    name: 'attempt-pruner',
    everyMs: init.everyMs ?? 10 * 60_000,
    async run() {
      await pruneAttempts(prisma, olderThanMs)
    },
    // The next pass retries; a table a little larger meanwhile harms nothing.
    onError: () => undefined,
  })
}
