import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import { AuthError, writeAuthFailure, type VerifiedToken } from '@pinion/auth'
import {
  toAppError,
  writeFailure,
  type ErrorTranslator,
  type FastRoute,
  type FastRouteContext,
  type Logger,
} from '@pinion/service-kit'
import { corsHeaderList } from './cors.js'
import { failureHeaders, serveIpfs, type IpfsRouteDeps } from './ipfs.js'

/** What the hot path needs besides the route deps. */
export interface FastIpfsInit {
  /** The token mount's prefix (`/gateway/api/v1`). */
  prefix: string
  /** The same checks as the mount's `requireToken` (cached verification, revocation, scope). */
  authenticate(headers: IncomingHttpHeaders, connection: object): Promise<VerifiedToken>
  /** The service's error translators, as its Express error middleware has them. */
  translators: readonly ErrorTranslator[]
  /** The service logger (its level decides whether a failure is worth a debug line). */
  logger: Logger
}

/**
 * Answers a failure as the Express route and its error middleware would (same status, body,
 * `WWW-Authenticate` challenge and headers), or returns false for an error they would log as a
 * bug (a 500), which is then left to them.
 */
function answerFailure(
  res: ServerResponse,
  error: unknown,
  headers: readonly string[],
  init: FastIpfsInit,
  context: FastRouteContext,
): boolean {
  if (error instanceof AuthError) {
    writeAuthFailure(res, error, 'pinion', headers)
    return true
  }
  const appError = toAppError(error, init.translators)
  if (appError === undefined) return false
  if (appError.reason === 'SERVICE_UNAVAILABLE')
    context.log.warn({ err: appError }, 'dependency unavailable')
  // The request's child logger is made only when the line will be written.
  else if (init.logger.isLevelEnabled('debug'))
    context.log.debug({ err: appError }, 'request failed')
  writeFailure(res, appError.reason, appError.details, [...headers, ...failureHeaders(error)])
  return true
}

/**
 * The hot path of `GET`/`HEAD <prefix>/ipfs/…` with a bearer token, on the raw `node:http`
 * request in front of Express (whose routing and middleware cost several times what serving a
 * small cached file does). It runs the same code as the Express route, `serveIpfs` (quota,
 * gateway, streaming, metering), behind the same token checks, and answers failures (no or a bad
 * token, wrong scope, over quota, any gateway error) as the Express route and its error
 * middleware do. Only an error they would log as a bug, or a stream that fails before its first
 * byte in a way nobody expected, is left untouched for the Express route to answer from scratch.
 */
export function fastIpfsRoute(deps: IpfsRouteDeps, init: FastIpfsInit): FastRoute {
  const base = `${init.prefix}/ipfs`
  const start = `${base}/`
  return {
    route: base,
    matches(req) {
      return (
        (req.method === 'GET' || req.method === 'HEAD') &&
        req.headers.authorization !== undefined &&
        req.url !== undefined &&
        req.url.startsWith(start)
      )
    },
    async handle(req, res, context) {
      const url = req.url as string
      const at = url.indexOf('?')
      // Sent with every answer (one writeHead when it is cached), taken off again on decline.
      const headers = context.headers.concat(corsHeaderList)
      let userId: string
      try {
        userId = (await init.authenticate(req.headers, req.socket)).userId
      } catch (error) {
        return answerFailure(res, error, headers, init, context)
      }
      try {
        await serveIpfs(
          deps,
          userId,
          {
            method: req.method as 'GET' | 'HEAD',
            prefix: init.prefix,
            path: (at < 0 ? url : url.slice(0, at)).slice(base.length),
            query: at < 0 ? '' : url.slice(at + 1),
            headers: req.headers,
          },
          res,
          { log: () => context.log, headers },
        )
      } catch (error) {
        if (res.headersSent) throw error
        for (let at = 0; at < headers.length; at += 2) res.removeHeader(headers[at] as string)
        return answerFailure(res, error, headers, init, context)
      }
      return true
    },
  }
}
