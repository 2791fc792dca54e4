import type { Blockstore } from '@pinion/blockstore'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as json from 'multiformats/codecs/json'
import { createBlockCache } from './block-cache.js'
import { createBlockSource } from './block-source.js'
import { createBufferPool } from './buffer-pool.js'
import { parseCarParams, type CarParams } from './car-params.js'
import { contentPathText, parseContentPath } from './content-path.js'
import { CBOR_CODE, classifyBlock, type Entity } from './entity.js'
import { GatewayRequestError, NotAcceptableError, NotCachedError } from './errors.js'
import { negotiateFormat } from './formats.js'
import { commonHeaders } from './headers.js'
import type { GatewayInit, GatewayRequest, ServeContext } from './request.js'
import { resolvePath } from './resolve-path.js'
import type { GatewayResponse } from './response.js'
import { serveDagPreview, serveDocument } from './serve-document.js'
import { serveCar, serveRaw, serveTar } from './serve-trustless.js'
import { serveDirectory, serveFile, serveSymlink } from './serve-unixfs.js'

/** The path + trustless gateway over one blockstore. */
export interface Gateway {
  /**
   * Answers one `GET`/`HEAD /ipfs/…` request. Reads only the shared blockstore: content it does
   * not hold is a 404, never a fetch.
   *
   * @throws AppErrors the routes render (400, 404, 406, 412, 416, 422, 501); BlockNotFoundError.
   */
  serve(request: GatewayRequest): Promise<GatewayResponse>
}

/** What the gateway reads from. */
export interface GatewayComponents {
  blockstore: Pick<Blockstore, 'get' | 'has' | 'readInto'>
}

function isUnixfs(entity: Entity): boolean {
  return entity.kind === 'file' || entity.kind === 'directory' || entity.kind === 'symlink'
}

/** The deserialized response: what a browser gets with no explicit format. */
function serveDefault(context: ServeContext): Promise<GatewayResponse> {
  const { entity, path, formats, params } = context
  switch (entity.kind) {
    case 'file':
      return serveFile(context, entity, entity.cid, path.segments.at(-1))
    case 'directory':
      return serveDirectory(context, entity)
    case 'symlink':
      return serveSymlink(context, entity)
    case 'document':
      if (entity.cid.code === json.code) return serveDocument(context, entity, 'json')
      if (entity.cid.code === CBOR_CODE) return serveDocument(context, entity, 'cbor')
      if (formats.acceptsHtml && params.get('download') !== 'true')
        return serveDagPreview(context, entity)
      return serveDocument(
        context,
        entity,
        entity.cid.code === dagCbor.code ? 'dag-cbor' : 'dag-json',
      )
    case 'dag-pb':
      throw new NotAcceptableError(
        `${entity.cid} is dag-pb without UnixFS data: ask for ?format=raw or ?format=car`,
      )
  }
}

function mismatch(context: ServeContext): never {
  throw new NotAcceptableError(
    `${context.entity.cid} (codec 0x${context.entity.cid.code.toString(16)}) cannot be served as ${context.formats.format}; ask for ?format=raw`,
  )
}

function dispatch(context: ServeContext, car: CarParams | undefined): Promise<GatewayResponse> {
  const { entity } = context
  const code = entity.cid.code
  switch (context.formats.format) {
    case undefined:
      return serveDefault(context)
    case 'raw':
      return serveRaw(context)
    case 'car':
      return serveCar(context, car as CarParams)
    case 'tar':
      return serveTar(context)
    case 'dag-json':
      return code === dagJson.code ? serveDocument(context, entity, 'dag-json') : mismatch(context)
    case 'dag-cbor':
      return code === dagCbor.code ? serveDocument(context, entity, 'dag-cbor') : mismatch(context)
    // Plain JSON/CBOR of a dag-json/dag-cbor block is the same bytes under the plain type
    // (conformance and boxo, see the README); UnixFS is served as usual (the "interop exception").
    case 'json':
      if (code === json.code || code === dagJson.code) return serveDocument(context, entity, 'json')
      return isUnixfs(entity) ? serveDefault(context) : mismatch(context)
    case 'cbor':
      if (code === CBOR_CODE || code === dagCbor.code) return serveDocument(context, entity, 'cbor')
      return isUnixfs(entity) ? serveDefault(context) : mismatch(context)
  }
}

const onlyIfCached = (header: string | undefined): boolean =>
  header !== undefined && /(^|,)\s*only-if-cached\s*(,|$)/i.test(header)

/** Creates the gateway: `components` to read from, `init` for its limits and policies. */
export function createGateway(components: GatewayComponents, init: GatewayInit): Gateway {
  const cache = createBlockCache({
    maxBytes: init.blockCacheBytes,
    maxBlockBytes: 1024 * 1024,
    ttlMs: 60_000,
  })
  // File leaves are read into these (256 KiB chunks plus their dag-pb framing fit); at most
  // 64 free ones (~16 MiB) are kept between streams.
  const pool = createBufferPool({ bufferBytes: 256 * 1024 + 4096, maxFree: 64 })
  return {
    async serve(request) {
      const path = parseContentPath(request.path, {
        maxLength: init.maxPathLength,
        maxSegments: init.maxPathSegments,
      })
      // Path gateway spec: a service worker may not claim a whole CID's origin scope.
      if (
        request.headers['service-worker'] === 'script' &&
        path.segments.length === 0 &&
        !path.trailingSlash
      )
        throw new GatewayRequestError('Service Worker registration is not allowed on /ipfs/<cid>')
      const params = new URLSearchParams(request.query)
      const formats = negotiateFormat(
        {
          format: params.get('format') ?? undefined,
          'car-version': params.get('car-version') ?? undefined,
          'car-order': params.get('car-order') ?? undefined,
          'car-dups': params.get('car-dups') ?? undefined,
        },
        request.headers.accept,
      )
      const car =
        formats.format === 'car'
          ? parseCarParams(
              {
                'dag-scope': params.get('dag-scope') ?? undefined,
                'entity-bytes': params.get('entity-bytes') ?? undefined,
              },
              formats.car,
            )
          : undefined
      const source = createBlockSource(components.blockstore, {
        signal: request.signal,
        cache,
        pool,
      })
      if (onlyIfCached(request.headers['cache-control'])) {
        if (!(await source.has(path.cid))) throw new NotCachedError(path.cidText)
        if (request.method === 'HEAD')
          return { status: 200, headers: { 'X-Ipfs-Path': contentPathText(path) } }
      }
      const resolved = await resolvePath(source, path, { maxDagDepth: init.maxDagDepth })
      const entity = classifyBlock(resolved.terminus, await source.get(resolved.terminus))
      const context: ServeContext = {
        request,
        params,
        path,
        resolved,
        entity,
        source,
        formats,
        init,
        headers: commonHeaders(request, path, resolved, formats),
      }
      return dispatch(context, car)
    },
  }
}
