/**
 * The error model shared by every service. Domain code throws `AppError` subclasses that carry a
 * machine `reason` and safe human `details`, never an HTTP status: mapping reasons to statuses is the
 * transport's job (see {@link reasonStatus}).
 */

/** Every reason a Pinion service may answer with. Adding one here forces a status in `reasonStatus`. */
export type Reason =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CSRF_FAILED'
  | 'SIGNUP_CLOSED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'NOT_ACCEPTABLE'
  | 'CONFLICT'
  | 'INSUFFICIENT_FUNDS'
  | 'PRECONDITION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RANGE_NOT_SATISFIABLE'
  | 'UNPROCESSABLE_ENTITY'
  | 'TOO_MANY_REQUESTS'
  | 'RATE_LIMITED'
  | 'CLIENT_CLOSED_REQUEST'
  | 'INTERNAL_SERVER_ERROR'
  | 'NOT_IMPLEMENTED'
  | 'SERVICE_UNAVAILABLE'

/**
 * The one exhaustive reason → HTTP status map (trpc's idea): a reason without a status fails
 * typecheck. INSUFFICIENT_FUNDS is 409, as the Pinning Service API spec says, not 402.
 */
export const reasonStatus: Record<Reason, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  // Browser routes: the X-CSRF-Token header was missing or wrong; sign-up is closed by config.
  CSRF_FAILED: 403,
  SIGNUP_CLOSED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  CONFLICT: 409,
  INSUFFICIENT_FUNDS: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  UNPROCESSABLE_ENTITY: 422,
  TOO_MANY_REQUESTS: 429,
  // Sign-in attempts throttled (with Retry-After).
  RATE_LIMITED: 429,
  // nginx's convention; the client is gone, so nobody reads the body, but logs and metrics do.
  CLIENT_CLOSED_REQUEST: 499,
  INTERNAL_SERVER_ERROR: 500,
  // The gateway spec's answer for a path into a dag-json/dag-cbor document (not through a link).
  NOT_IMPLEMENTED: 501,
  SERVICE_UNAVAILABLE: 503,
}

/** Reasons a consumer should never retry: the same message would fail the same way. */
export const permanentReasons: ReadonlySet<Reason> = new Set<Reason>([
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'UNPROCESSABLE_ENTITY',
  'INSUFFICIENT_FUNDS',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_IMPLEMENTED',
])

export interface AppErrorOptions {
  /** Safe, human-readable explanation; shown to the caller. Never put secrets here. */
  details?: string
  cause?: unknown
}

/** Base class of every domain error. `name` is set to the subclass name for logs. */
export class AppError extends Error {
  readonly reason: Reason
  readonly details: string | undefined

  constructor(reason: Reason, options: AppErrorOptions = {}) {
    super(options.details ?? reason, { cause: options.cause })
    this.reason = reason
    this.details = options.details
    this.name = new.target.name
  }
}

/** Input the caller can fix (400). */
export class BadRequestError extends AppError {
  constructor(details: string, options: Omit<AppErrorOptions, 'details'> = {}) {
    super('BAD_REQUEST', { ...options, details })
  }
}

/** The thing asked for does not exist, or belongs to someone else (404, never 403: no oracle). */
export class NotFoundError extends AppError {
  constructor(details = 'The requested resource was not found') {
    super('NOT_FOUND', { details })
  }
}

/** A dependency (database, NATS, blockstore) is unreachable right now; retrying later may work. */
export class ServiceUnavailableError extends AppError {
  constructor(details: string, options: Omit<AppErrorOptions, 'details'> = {}) {
    super('SERVICE_UNAVAILABLE', { ...options, details })
  }
}

/** A quota would be exceeded. The Pinning API spec's reason for this is INSUFFICIENT_FUNDS (409). */
export class QuotaExceededError extends AppError {
  constructor(details: string) {
    super('INSUFFICIENT_FUNDS', { details })
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}
