import type { ContentPath } from './content-path.js'
import type { Entity } from './entity.js'
import type { BlockSource } from './block-source.js'
import type { FormatRequest } from './formats.js'
import type { ResolvedPath } from './resolve-path.js'

/** One gateway request, as the routes hand it over (no Express types). */
export interface GatewayRequest {
  readonly method: 'GET' | 'HEAD'
  /** Route prefix in front of `/ipfs` (`/gateway/api/v1`), for redirects and links. */
  readonly prefix: string
  /** The raw (percent-encoded) path below `/ipfs`: `/<cid>[/…][/]`. */
  readonly path: string
  /** The raw query string, without `?`. */
  readonly query: string
  /** The request headers the gateway reads, lower-case names. */
  readonly headers: {
    readonly accept?: string | undefined
    readonly range?: string | undefined
    readonly 'if-none-match'?: string | undefined
    readonly 'if-range'?: string | undefined
    readonly 'cache-control'?: string | undefined
    readonly 'service-worker'?: string | undefined
  }
  /** Aborted when the client goes away: stops every read. */
  readonly signal?: AbortSignal | undefined
}

/** Limits and policies of a gateway instance. */
export interface GatewayInit {
  maxPathLength: number
  maxPathSegments: number
  maxDagDepth: number
  /** `public` (the spec) or `private` in `Cache-Control` (see the README's caching decision). */
  cacheVisibility: 'public' | 'private'
  /** Blocks read ahead of the one being sent. */
  readAhead: number
  /** Bytes of recently read small blocks kept in memory (0: none). */
  blockCacheBytes: number
}

/** Everything known about a request once its path is resolved. */
export interface ServeContext {
  readonly request: GatewayRequest
  readonly params: URLSearchParams
  readonly path: ContentPath
  readonly resolved: ResolvedPath
  readonly entity: Entity
  readonly source: BlockSource
  readonly formats: FormatRequest
  readonly init: GatewayInit
  /** Headers every successful response of this request carries. */
  readonly headers: Record<string, string>
}
