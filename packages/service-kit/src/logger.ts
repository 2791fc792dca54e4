import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pino, type Logger } from 'pino'
import { pinoHttp, type HttpLogger } from 'pino-http'

export type { Logger } from 'pino'

/** Paths pino blanks out wherever they appear in a log line. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'password',
  'token',
  'secret',
  'privateKey',
  'clientSecret',
  '*.password',
  '*.token',
  '*.secret',
  '*.privateKey',
  '*.clientSecret',
  '*.accessToken',
  '*.refreshToken',
]

export interface LoggerOptions {
  service: string
  level: string
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream
}

/** The root logger of a process: JSON lines, service name on each, secrets redacted. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  )
}

const requestIdPattern = /^[\w.:-]{1,128}$/

/** Query parameters whose values are credentials; masked in logged URLs. */
const secretQueryParams = /([?&](?:token|access_token|code|state|client_secret|signature)=)[^&]*/gi

/** The URL as logged: credentials in the query string masked. */
export function safeUrl(url: string | undefined): string | undefined {
  return url?.replace(secretQueryParams, '$1[redacted]')
}

/** A well-formed incoming `x-request-id`, or undefined (the caller makes one). */
export function requestIdOf(req: IncomingMessage): string | undefined {
  const incoming = req.headers['x-request-id']
  return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : undefined
}

const quietPaths = new Set(['/healthz', '/readyz', '/metrics'])

/**
 * pino-http with Pinion's conventions: reuse a well-formed incoming `x-request-id` (or make one),
 * echo it back, log one line per request (not for probes), and never log credentials.
 */
export function createRequestLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const id = requestIdOf(req) ?? randomUUID()
      res.setHeader('x-request-id', id)
      return id
    },
    autoLogging: { ignore: (req) => quietPaths.has((req.url ?? '').split('?')[0] ?? '') },
    customLogLevel(_req, res, error) {
      if (error || res.statusCode >= 500) return 'error'
      return 'info'
    },
    serializers: {
      req(req: { id: unknown; method: string; url: string; remoteAddress?: string }) {
        return {
          id: req.id,
          method: req.method,
          url: safeUrl(req.url),
          remoteAddress: req.remoteAddress,
        }
      },
      res(res: { statusCode: number }) {
        return { statusCode: res.statusCode }
      },
    },
  })
}
