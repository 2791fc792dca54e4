import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { Logger } from 'pino'
import { ZodError } from 'zod'
import { AppError, type Reason } from './errors.js'
import { sendFailure } from './error-body.js'

/**
 * Turns an error from a dependency (Prisma, NATS, …) into an `AppError`, or returns undefined when it
 * does not recognise it. Packages that own a dependency export one (for example the db package maps
 * "database unreachable" to SERVICE_UNAVAILABLE), so service-kit depends on none of them.
 */
export type ErrorTranslator = (error: unknown) => AppError | undefined

export interface ErrorHandlerOptions {
  logger: Logger
  translators?: ErrorTranslator[]
}

/** Body-parser and similar middleware signal client errors with an `expose`d status and a `type`. */
interface HttpishError {
  status?: number
  statusCode?: number
  expose?: boolean
  type?: string
  message?: string
}

const httpStatusReason: Partial<Record<number, Reason>> = {
  400: 'BAD_REQUEST',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
}

function summariseZodError(error: ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'input'
    return `${where}: ${issue.message}`
  })
  if (error.issues.length > 5) parts.push(`and ${error.issues.length - 5} more`)
  return parts.join('; ')
}

/**
 * The `AppError` an error is answered with: itself, a zod validation error (400), what a
 * translator makes of it, or an exposed client error of body-parser; undefined for anything else
 * (a bug or an unknown failure: 500, logged in full). The error middleware and fast routes share it.
 */
export function toAppError(
  error: unknown,
  translators: readonly ErrorTranslator[],
): AppError | undefined {
  if (error instanceof AppError) return error
  if (error instanceof ZodError)
    return new AppError('BAD_REQUEST', { details: summariseZodError(error), cause: error })
  for (const translate of translators) {
    const translated = translate(error)
    if (translated) return translated
  }
  const httpish = error as HttpishError | null
  const status = httpish?.status ?? httpish?.statusCode
  if (httpish?.expose && status !== undefined) {
    const reason = httpStatusReason[status]
    if (reason) {
      const details =
        httpish.type === 'entity.parse.failed'
          ? 'The request body is not valid JSON'
          : httpish.type === 'entity.too.large'
            ? 'The request body is too large'
            : (httpish.message ?? reason)
      return new AppError(reason, { details, cause: error })
    }
  }
  return undefined
}

/**
 * The one Express error middleware. Known errors become their reason's status with
 * `{ error: { reason, details } }`; anything else is logged in full and answered with a 500 whose
 * details carry only the request id, so internals never leak.
 */
export function createErrorHandler(options: ErrorHandlerOptions): ErrorRequestHandler {
  const translators = options.translators ?? []
  return (error, req, res, _next) => {
    const log = req.log ?? options.logger
    if (res.headersSent) {
      // Mid-stream failure: the status is gone, so the best we can do is cut the connection.
      log.warn({ err: error }, 'error after response started')
      res.destroy()
      return
    }
    const appError = toAppError(error, translators)
    if (appError) {
      if (appError.reason === 'SERVICE_UNAVAILABLE')
        log.warn({ err: appError }, 'dependency unavailable')
      else log.debug({ err: appError }, 'request failed')
      sendFailure(res, appError.reason, appError.details)
      return
    }
    log.error({ err: error }, 'unhandled error')
    sendFailure(
      res,
      'INTERNAL_SERVER_ERROR',
      `Internal error (request id ${String(req.id ?? 'unknown')})`,
    )
  }
}

/** JSON 404 for routes nobody handles (Kubo's `service ls --stat` expects a 404 for a wrong path). */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendFailure(res, 'NOT_FOUND', `No route for ${req.method} ${req.path}`)
}
