/**
 * The one way a service gets a Prisma client: a pg pool tuned to fail fast when Postgres is down
 * (so requests answer 503 within about a second instead of hanging) and to recover by itself when
 * it returns, plus the Startable, readiness check and error translator that service-kit wants.
 */
import type { ErrorTranslator, HealthCheck, Logger, Startable } from '@pinion/service-kit'
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaClient } from './generated/prisma/client.js'
import { redactDatabaseUrl } from './database-url.js'
import { translateDatabaseError } from './errors.js'

/** Options of {@link createDatabase}. */
export interface DatabaseOptions {
  /** `postgresql://…` (see `databaseSchema`). */
  url: string
  /** Most connections this process opens; default 10. */
  poolMax?: number
  /**
   * Milliseconds to wait for a connection, default 1000: both for opening one (a dead or
   * unreachable server) and for a free one when the pool is busy. Past it the query fails with
   * a translated 503 rather than queueing without bound.
   */
  connectTimeoutMs?: number
  /** Milliseconds an idle connection is kept; default 30 000. */
  idleTimeoutMs?: number
  logger: Logger
}

/** What {@link createDatabase} returns. */
export interface Database {
  readonly prisma: PrismaClient
  /** Start checks connectivity and only logs when Postgres is down; stop closes the pool. */
  readonly startable: Startable
  /** `SELECT 1` for /readyz. */
  readonly healthCheck: HealthCheck
  /** Maps "database unreachable" errors to ServiceUnavailableError (503). */
  readonly errorTranslator: ErrorTranslator
  /** Disconnects Prisma and ends the pool; idempotent. */
  close(): Promise<void>
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error as Error)
      },
    )
  })
}

/**
 * Creates the Prisma client and pool for one process. Nothing connects until the first query, so
 * this never fails because Postgres is down.
 *
 * @example
 * ```ts
 * const db = createDatabase({ url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX, logger })
 * deps.startables.push(db.startable)
 * deps.readinessChecks.push(db.healthCheck)
 * deps.errorTranslators.push(db.errorTranslator)
 * ```
 */
export function createDatabase(options: DatabaseOptions): Database {
  const log = options.logger.child({ component: 'db' })
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 1000,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
  })
  // A connection whose server goes away emits 'error'; unhandled, that would crash the process.
  // pg-pool listens only while a connection is idle, and adapter-pg only while Prisma is
  // connected, so a FATAL arriving while a connection is being closed (a restarting server, a
  // dropped database) would be uncaught. Every connection therefore gets a listener of its own.
  // The pool replaces broken connections on the next query.
  const onConnectionError = (error: Error) => log.warn({ err: error }, 'database connection lost')
  pool.on('connect', (client) => client.on('error', onConnectionError))
  pool.on('error', onConnectionError)
  const adapter = new PrismaPg(pool)
  const prisma = new PrismaClient({ adapter })
  let closed: Promise<void> | undefined

  const close = () => {
    closed ??= (async () => {
      await prisma.$disconnect().catch(() => {})
      await pool.end()
    })()
    return closed
  }

  const ping = async () => {
    await prisma.$queryRaw`SELECT 1`
  }

  return {
    prisma,
    startable: {
      name: 'db',
      async start() {
        try {
          await ping()
          log.info({ url: redactDatabaseUrl(options.url) }, 'database reachable')
        } catch (error) {
          // Not fatal: readiness reports it and the pool reconnects on the next query.
          log.warn(
            { err: error, url: redactDatabaseUrl(options.url) },
            'database unreachable at start; not ready until it answers',
          )
        }
      },
      stop: close,
    },
    healthCheck: {
      name: 'database',
      check: (signal) => abortable(ping(), signal),
    },
    errorTranslator: translateDatabaseError,
    close,
  }
}
