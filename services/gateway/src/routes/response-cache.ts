import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import type { GatewayRequest } from '../domain/request.js'
import type { GatewayResponse } from '../domain/response.js'
import { createLruCache } from '../domain/lru-cache.js'

/** A finished response kept whole, written again as it is. */
export interface CachedResponse {
  readonly status: number
  /** Names and values in turn, as `writeHead` takes them. */
  readonly headers: readonly string[]
  /** The body, empty when there is none (HEAD). */
  readonly body: Uint8Array
}

/** The parts of a request a gateway answer depends on (the route's `IpfsRequest`). */
export interface CacheableRequest {
  readonly method: string
  readonly prefix: string
  readonly path: string
  readonly query: string
  readonly headers: IncomingHttpHeaders
}

/**
 * Finished small immutable answers, so a popular small file, block or document is written from
 * memory: no path resolution, negotiation, sniffing or header building per request. Auth, the
 * quota, metering, logging and the route's own headers (CORS, the web sandbox) still run for
 * every request; only what `gateway.serve` would compute again is reused.
 */
export interface ResponseCache {
  /** The key of `request`, or undefined when its answer must be computed (conditional, ranged…). */
  keyOf(request: CacheableRequest): string | undefined
  get(key: string): CachedResponse | undefined
  /**
   * Keeps `response` under `key` when it is a 200 marked `immutable` and `body` (all of what was
   * sent, undefined when it was streamed in pieces) is small enough.
   */
  remember(key: string, response: GatewayResponse, body: Uint8Array | undefined): void
}

/** Bounds of {@link createResponseCache}. */
export interface ResponseCacheInit {
  /** Total bytes kept (bodies and headers); 0 disables the cache. */
  maxBytes: number
  /** Answers with a larger body are not kept. */
  maxEntryBytes: number
  /** How long an answer is reused, in ms: the blockstore may garbage-collect its blocks. */
  ttlMs: number
  now?: () => number
}

/**
 * How each request header the gateway reads (`GatewayRequest['headers']`) bears on caching:
 * `Accept` selects among answers, so it is part of the key; the others make the answer depend on
 * more than the URL (a range, a validator, `only-if-cached`, a service worker), and such requests
 * are computed every time. A header added to `GatewayRequest` fails to compile until it is here.
 */
const headerRoles: Record<keyof GatewayRequest['headers'], 'key' | 'uncached'> = {
  accept: 'key',
  range: 'uncached',
  'if-none-match': 'uncached',
  'if-range': 'uncached',
  'cache-control': 'uncached',
  'service-worker': 'uncached',
}
const uncachedHeaders = Object.entries(headerRoles)
  .filter(([, role]) => role === 'uncached')
  .map(([name]) => name)

function sizeOf(response: CachedResponse): number {
  let size = response.body.length + 64
  for (const part of response.headers) size += part.length
  return size
}

/** Creates a {@link ResponseCache}, least recently used first out. */
export function createResponseCache(init: ResponseCacheInit): ResponseCache {
  const cache = createLruCache<CachedResponse>({
    maxBytes: init.maxBytes,
    // `remember` bounds the body; the headers of one answer are small.
    maxEntryBytes: init.maxBytes,
    ttlMs: init.ttlMs,
    sizeOf,
    now: init.now,
  })
  return {
    keyOf(request) {
      if (init.maxBytes === 0) return undefined
      const { headers } = request
      for (const name of uncachedHeaders) if (headers[name] !== undefined) return undefined
      const accept = headers.accept
      const accepted = Array.isArray(accept) ? accept.join(', ') : (accept ?? '')
      return `${request.method} ${request.prefix}${request.path}?${request.query}\n${accepted}`
    },
    get: (key) => cache.get(key),
    remember(key, response, body) {
      if (body === undefined || response.status !== 200) return
      const cacheControl = response.headers['Cache-Control']
      if (cacheControl === undefined || !cacheControl.includes('immutable')) return
      if (body.length > init.maxEntryBytes) return
      cache.set(key, {
        status: response.status,
        headers: Object.entries(response.headers).flat(),
        // A copy: `body` may be a view into a larger block that should not stay alive with it.
        body: body.slice(),
      })
    },
  }
}

/**
 * Writes a cached answer, with `extra` headers before its own, in one write; returns the body
 * bytes sent.
 */
export function writeCached(
  res: ServerResponse,
  cached: CachedResponse,
  extra: readonly string[] = [],
): number {
  const headers = extra.length === 0 ? cached.headers : extra.concat(cached.headers)
  res.writeHead(cached.status, headers as string[])
  if (cached.body.length === 0) {
    res.end()
    return 0
  }
  res.end(cached.body)
  return cached.body.length
}
