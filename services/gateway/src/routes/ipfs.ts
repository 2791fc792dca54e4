import { sendFailure, type Logger } from '@pinion/service-kit'
import { Router, type Request, type RequestHandler, type Response } from 'express'
import { RangeNotSatisfiableError } from '../domain/errors.js'
import type { Gateway } from '../domain/gateway.js'
import type { QuotaGuard } from '../domain/quota.js'
import type { UsageMeter } from '../domain/usage-meter.js'
import { gatewayCors } from './cors.js'
import { sendResponse } from './send-response.js'

/** What the `/ipfs` routes use. */
export interface IpfsRouteDeps {
  gateway: Gateway
  meter: Pick<UsageMeter, 'record'>
  quota: QuotaGuard
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

function rawQuery(req: Request): string {
  const at = req.originalUrl.indexOf('?')
  return at < 0 ? '' : req.originalUrl.slice(at + 1)
}

/** An AbortSignal that fires when the client disconnects before the response finished. */
function clientGone(res: Response): AbortSignal {
  const controller = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client closed the connection'))
  })
  return controller.signal
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
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
      await deps.quota.assertWithinQuota(userId)
      const response = await deps.gateway.serve({
        method: req.method,
        prefix: mount.prefix,
        path: req.path,
        query: rawQuery(req),
        headers: {
          accept: header(req, 'accept'),
          range: header(req, 'range'),
          'if-none-match': header(req, 'if-none-match'),
          'if-range': header(req, 'if-range'),
          'cache-control': header(req, 'cache-control'),
          'service-worker': header(req, 'service-worker'),
        },
        signal: clientGone(res),
      })
      const sent = await sendResponse(res, response, req.log ?? deps.logger)
      deps.meter.record(userId, sent)
    } catch (error) {
      if (error instanceof RangeNotSatisfiableError)
        res.setHeader('Content-Range', `bytes */${error.size}`)
      next(error)
    }
  })
  return router
}
