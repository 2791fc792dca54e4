import { createHash } from 'node:crypto'
import { encodeCar } from '@pinion/blockstore'
import { carBlocks } from './car-blocks.js'
import type { CarParams } from './car-params.js'
import { contentPathText } from './content-path.js'
import { conditional, disposition, immutableCache, mediaTypeOf } from './headers.js'
import type { ServeContext } from './request.js'
import type { GatewayResponse } from './response.js'
import { serveBytes } from './serve-bytes.js'
import { collectTarItems, tarStream } from './tar.js'

/** The block at the path's end, verbatim (`application/vnd.ipld.raw`), ranges supported. */
export function serveRaw(context: ServeContext): Promise<GatewayResponse> {
  const { entity } = context
  return serveBytes(context, entity.bytes, {
    etag: `"${entity.cid}.raw"`,
    contentType: mediaTypeOf('raw'),
    disposition: disposition(context.params, 'attachment', `${entity.cid}.bin`),
  })
}

function carEtag(context: ServeContext, params: CarParams): string {
  const entityBytes =
    params.entityBytes === undefined ? '' : `${params.entityBytes.from}:${params.entityBytes.to}`
  const variant = createHash('sha256')
    .update(
      `${contentPathText(context.path)}\n${params.scope}\n${params.duplicates}\n${entityBytes}`,
    )
    .digest('hex')
    .slice(0, 16)
  // Weak: the same blocks could be framed differently by another gateway (roots, order).
  return `W/"${context.entity.cid}.car.${variant}"`
}

/**
 * A CARv1 of the path's proof blocks and the requested scope (`dag-scope`, `entity-bytes`,
 * `dups`), always depth-first. Streams; a block found missing after the headers ends the stream.
 */
export function serveCar(context: ServeContext, params: CarParams): Promise<GatewayResponse> {
  const etag = carEtag(context, params)
  const { path, source, init } = context
  return conditional(context, [etag], immutableCache(init), async (headers) => {
    const last = path.segments.at(-1)
    const name = `${path.cidText}${last === undefined ? '' : `_${last}`}.car`
    return {
      status: 200,
      headers: {
        ...headers,
        ETag: etag,
        'Content-Type': `${mediaTypeOf('car')}; version=1; order=dfs; dups=${params.duplicates ? 'y' : 'n'}`,
        'Content-Disposition': disposition(context.params, 'attachment', name) ?? 'attachment',
        'Accept-Ranges': 'none',
      },
      body:
        context.request.method === 'HEAD'
          ? undefined
          : () =>
              encodeCar(
                [path.cid],
                carBlocks(source, context.resolved.pathBlocks, context.entity, params, {
                  maxDagDepth: init.maxDagDepth,
                  readAhead: init.readAhead,
                }),
              ),
    }
  })
}

/**
 * A TAR of the UnixFS file or directory tree (IPIP-0288): entries named `<cid>[/path]`, checked
 * to stay inside the root before anything is sent.
 */
export function serveTar(context: ServeContext): Promise<GatewayResponse> {
  const { entity, source, init } = context
  const etag = `W/"${entity.cid}.x-tar"`
  return conditional(context, [etag], immutableCache(init), async (headers) => {
    const options = { maxDagDepth: init.maxDagDepth, readAhead: init.readAhead }
    const items = await collectTarItems(source, entity, options)
    return {
      status: 200,
      headers: {
        ...headers,
        ETag: etag,
        'Content-Type': mediaTypeOf('tar'),
        'Content-Disposition':
          disposition(context.params, 'attachment', `${entity.cid}.tar`) ?? 'attachment',
      },
      body: context.request.method === 'HEAD' ? undefined : () => tarStream(source, items, options),
    }
  })
}
