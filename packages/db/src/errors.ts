/**
 * Recognising database errors by what they mean rather than by class: with a driver adapter,
 * "Postgres is unreachable" reaches us as a Prisma error (P1001, P1017, or P2010 around a driver
 * adapter error for raw queries), as a bare pg error ("Connection terminated unexpectedly"), or as
 * pg-pool's "timeout exceeded when trying to connect", depending on where the connection broke.
 */
import { ServiceUnavailableError, type AppError } from '@pinion/service-kit'

/** Prisma codes that mean "no usable connection" (not "your query is wrong"). */
const unavailablePrismaCodes = new Set([
  'P1001', // can't reach database server
  'P1002', // server reached but timed out
  'P1008', // operations timed out
  'P1017', // server closed the connection
  'P2024', // timed out fetching a connection from the pool
  'P2037', // too many database connections opened
])

/** Driver adapter error kinds (adapter-pg) with the same meaning. */
const unavailableAdapterKinds = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
])

/** Node socket error codes. */
const unavailableSocketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])

/** SQLSTATEs: connection exceptions (08…), too many connections, shutdown / starting up. */
const unavailableSqlStates = /^(08\d{3}|53300|57P0[123])$/

/** Messages pg and pg-pool throw as plain Errors, without a code. */
const unavailableMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  // Prisma P2028 when no connection came free within the transaction's maxWait.
  /Unable to start a transaction in the given time/,
]

interface ErrorLike {
  name?: unknown
  code?: unknown
  kind?: unknown
  message?: unknown
  cause?: unknown
  meta?: { driverAdapterError?: unknown }
}

/** The error and what it wraps (`cause`, Prisma's `meta.driverAdapterError`), breadth-first. */
function* errorChain(error: unknown): Generator<ErrorLike> {
  const queue: unknown[] = [error]
  const seen = new Set<unknown>()
  while (queue.length > 0 && seen.size < 10) {
    const current = queue.shift()
    if (current === null || typeof current !== 'object' || seen.has(current)) continue
    seen.add(current)
    const like = current as ErrorLike
    yield like
    queue.push(like.cause, like.meta?.driverAdapterError)
  }
}

function isUnavailable(error: ErrorLike): boolean {
  const { code, kind, message, name } = error
  if (name === 'PrismaClientInitializationError') return true
  if (typeof code === 'string') {
    if (unavailablePrismaCodes.has(code) || unavailableSocketCodes.has(code)) return true
    if (unavailableSqlStates.test(code)) return true
  }
  if (typeof kind === 'string' && unavailableAdapterKinds.has(kind)) return true
  return typeof message === 'string' && unavailableMessages.some((pattern) => pattern.test(message))
}

/**
 * Whether `error` means the database cannot be reached right now (refused, reset, timed out, pool
 * exhausted, server shutting down), so retrying later may succeed. Constraint violations and
 * query errors are not.
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  for (const link of errorChain(error)) if (isUnavailable(link)) return true
  return false
}

/**
 * Service-kit's error translator for the database: unreachable → ServiceUnavailableError (503),
 * anything else → undefined (left to other translators or the 500 path). Unique violations are
 * deliberately not translated: the repository that knows what was duplicated turns them into a
 * domain error (see {@link isUniqueViolation}).
 */
export function translateDatabaseError(error: unknown): AppError | undefined {
  if (!isDatabaseUnavailableError(error)) return undefined
  return new ServiceUnavailableError('The database is unavailable; try again shortly', {
    cause: error,
  })
}

/**
 * Whether `error` is a unique-constraint violation (Prisma P2002, or SQLSTATE 23505 from a raw
 * query), optionally on the named constraint or index (e.g. `users_email_key`).
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (const link of errorChain(error)) {
    const kind = link.kind === 'UniqueConstraintViolation'
    const code = link.code === 'P2002' || link.code === '23505'
    const original = (link as { originalCode?: unknown }).originalCode === '23505'
    if (!kind && !code && !original) continue
    if (constraint === undefined) return true
    const text = JSON.stringify(link, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    )
    if (text.includes(constraint) || String(link.message).includes(constraint)) return true
  }
  return false
}
