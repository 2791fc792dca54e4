import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import { sendFailure, type Logger } from '@pinion/service-kit'
import { Router, type Request, type RequestHandler } from 'express'
import { RangeNotSatisfiableError } from '../domain/errors.js'
import type { Gateway } from '../domain/gateway.js'
import type { GatewayRequest } from '../domain/request.js'
import type { QuotaGuard } from '../domain/quota.js'
import type { UsageMeter } from '../domain/usage-meter.js'
import { gatewayCors } from './cors.js'
import { writeCached, type ResponseCache } from './response-cache.js'
import { sendResponse } from './send-response.js'

/** What the `/ipfs` routes (and the hot path) use. */
export interface IpfsRouteDeps {
  gateway: Gateway
  meter: Pick<UsageMeter, 'record'>
  quota: QuotaGuard
  /** Finished small immutable answers, reused across users (see `response-cache.ts`). */
  responses: ResponseCache
  logger: Logger
}

/** One mount of the gateway: where, how callers are authenticated, and what to add. */
export interface IpfsMount {
  /** Route prefix in front of `/ipfs`: `/gateway/api/v1` or `/gateway/web`. */
  prefix: string
  /** Middleware that authenticates the request (token or session), or answers 401/403. */
  authenticate: RequestHandler[]
  /** The authenticated user, whose bytes are metered and quota checked. */
  userOf(req: Request): string | undefined
}

/** An AbortSignal that fires when the client disconnects before the response finished. */
function clientGone(res: ServerResponse): AbortSignal {
  const controller = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client closed the connection'))
  })
  return controller.signal
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/** A request as both entry points see it: the raw path below `/ipfs` and the raw query. */
export interface IpfsRequest {
  method: 'GET' | 'HEAD'
  prefix: string
  /** `/<cid>[/…]`, still percent-encoded. */
  path: string
  /** Without `?`. */
  query: string
  headers: IncomingHttpHeaders
}

/** Where {@link serveIpfs} answers besides the response itself. */
export interface ServeOutput {
  /** The request's logger (called only when a stream is cut). */
  log(): Logger
  /**
   * Headers to send besides the gateway's (names and values in turn), when they are not set on
   * the response already: a cached answer then goes out in one `writeHead`.
   */
  headers?: readonly string[] | undefined
}

/**
 * Serves one authenticated `GET`/`HEAD` for `userId`: the monthly quota, the gateway (or its
 * cached answer), the response streamed with backpressure, and the bytes written metered. The
 * one place both the Express routes and the hot path (`fast-ipfs.ts`) answer through.
 *
 * @throws what the quota and the gateway throw, always before anything was written to `res`.
 */
export async function serveIpfs(
  deps: IpfsRouteDeps,
  userId: string,
  request: IpfsRequest,
  res: ServerResponse,
  output: ServeOutput,
): Promise<void> {
  await deps.quota.assertWithinQuota(userId)
  const key = deps.responses.keyOf(request)
  const cached = key === undefined ? undefined : deps.responses.get(key)
  if (cached !== undefined) {
    deps.meter.record(userId, writeCached(res, cached, output.headers))
    return
  }
  const extra = output.headers ?? []
  for (let at = 0; at < extra.length; at += 2) res.setHeader(extra[at]!, extra[at + 1]!)
  const { headers } = request
  const gatewayRequest: GatewayRequest = {
    method: request.method,
    prefix: request.prefix,
    path: request.path,
    query: request.query,
    headers: {
      accept: header(headers, 'accept'),
      range: header(headers, 'range'),
      'if-none-match': header(headers, 'if-none-match'),
      'if-range': header(headers, 'if-range'),
      'cache-control': header(headers, 'cache-control'),
      'service-worker': header(headers, 'service-worker'),
    },
    signal: clientGone(res),
  }
  const response = await deps.gateway.serve(gatewayRequest)
  const { sent, whole } = await sendResponse(res, response, output.log)
  deps.meter.record(userId, sent)
  if (key !== undefined) deps.responses.remember(key, response, whole)
}

/** Headers an error answer carries besides its body: a 416 names the size in `Content-Range`. */
export function failureHeaders(error: unknown): string[] {
  if (error instanceof RangeNotSatisfiableError) return ['Content-Range', `bytes */${error.size}`]
  return []
}

function rawQuery(req: Request): string {
  const at = req.originalUrl.indexOf('?')
  return at < 0 ? '' : req.originalUrl.slice(at + 1)
}

/**
 * `GET`/`HEAD <prefix>/ipfs/<cid>[/path]`: CORS, authentication, the monthly quota, then the
 * gateway, streamed with backpressure; the bytes written are metered for the user.
 */
export function ipfsRoutes(deps: IpfsRouteDeps, mount: IpfsMount): Router {
  const router = Router()
  const base = `${mount.prefix}/ipfs`
  router.use(base, gatewayCors)
  if (mount.authenticate.length > 0) router.use(base, ...mount.authenticate)
  router.use(base, async (req, res, next) => {
    const userId = mount.userOf(req)
    if (userId === undefined) return sendFailure(res, 'UNAUTHORIZED', 'Not signed in')
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD, OPTIONS')
      return sendFailure(res, 'METHOD_NOT_ALLOWED', `${req.method} is not supported`)
    }
    try {
      const request: IpfsRequest = {
        method: req.method,
        prefix: mount.prefix,
        path: req.path,
        query: rawQuery(req),
        headers: req.headers,
      }
      await serveIpfs(deps, userId, request, res, { log: () => req.log ?? deps.logger })
    } catch (error) {
      const extra = failureHeaders(error)
      for (let at = 0; at < extra.length; at += 2) res.setHeader(extra[at]!, extra[at + 1]!)
      next(error)
    }
  })
  return router
}
