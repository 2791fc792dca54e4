import type { IncomingHttpHeaders } from 'node:http'
import type { VerifiedToken } from '@pinion/auth'
import type { FastRoute } from '@pinion/service-kit'
import { corsHeaderList } from './cors.js'
import { serveIpfs, type IpfsRouteDeps } from './ipfs.js'

/** What the hot path needs besides the route deps. */
export interface FastIpfsInit {
  /** The token mount's prefix (`/gateway/api/v1`). */
  prefix: string
  /** The same checks as the mount's `requireToken` (cached verification, revocation, scope). */
  authenticate(headers: IncomingHttpHeaders, connection: object): Promise<VerifiedToken>
}

/**
 * The hot path of `GET`/`HEAD <prefix>/ipfs/…` with a bearer token, on the raw `node:http`
 * request in front of Express (whose routing and middleware cost several times what serving a
 * small cached file does). It runs the same code as the Express route, `serveIpfs` (quota,
 * gateway, streaming, metering), behind the same token checks, and answers only successes
 * (200, 206, 301, 304, …). Anything else (no or a bad token, wrong scope, over quota, any
 * gateway error, a stream that fails before its first byte) leaves the request untouched for the
 * Express route, which answers it from scratch with its error format and `WWW-Authenticate`.
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
      let userId: string
      try {
        userId = (await init.authenticate(req.headers, req.socket)).userId
      } catch {
        return false
      }
      // Sent with the answer (one writeHead when it is cached), taken off again on decline.
      const headers = context.headers.concat(corsHeaderList)
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
        return false
      }
      return true
    },
  }
}
