import * as dagPb from '@ipld/dag-pb'
import { resolvers } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { exporterStorage } from './block-source.js'
import { rangedRequestOf, rangedResponse, type RangedContent } from './byte-response.js'
import { encodeSegments } from './content-path.js'
import { fileContentType } from './content-type.js'
import { dirIndexEtag, renderListing } from './dir-listing.js'
import { classifyBlock, type Entity } from './entity.js'
import { ContentNotFoundError } from './errors.js'
import { translateExporterError } from './exporter-errors.js'
import { fileBytes } from './file-reader.js'
import { conditional, disposition, generatedCache, immutableCache } from './headers.js'
import type { ServeContext } from './request.js'
import type { GatewayResponse } from './response.js'
import { serveBytes } from './serve-bytes.js'

/**
 * A UnixFS file (or raw block) as its bytes: Content-Type from the name's extension or sniffed,
 * ranges, `?filename=`/`?download=true`, `Last-Modified` only from a real UnixFS mtime.
 */
export function serveFile(
  context: ServeContext,
  file: Entity & { kind: 'file' },
  etagCid: CID,
  name: string | undefined,
): Promise<GatewayResponse> {
  const etag = `"${etagCid}"`
  return conditional(context, [etag], immutableCache(context.init), (headers) => {
    const { params, source, init } = context
    if (params.has('filename') || params.get('download') === 'true') {
      const value = disposition(params, 'inline', name)
      if (value !== undefined) headers['Content-Disposition'] = value
    }
    if (file.mtime !== undefined) headers['Last-Modified'] = file.mtime.toUTCString()
    const typeName = params.get('filename') ?? name
    const content: RangedContent = {
      size: file.size,
      // Leaves are read into pooled buffers; a file all in its root block has none to lend (and
      // is then written in one piece, and may be kept by the response cache).
      read: (range) =>
        fileBytes(source, file, range, {
          maxDepth: init.maxDagDepth,
          readAhead: init.readAhead,
          borrow: file.linked,
        }),
      borrowed: file.linked,
      contentType: (head, complete) => fileContentType({ name: typeName, head, complete }),
      // A raw block is the whole file: no DAG to walk.
      bytes: file.cid.code === raw.code ? file.bytes : undefined,
    }
    return rangedResponse(rangedRequestOf(context.request), content, etag, headers)
  })
}

/** A symlink is served as its target path (`inode/symlink`); it is never followed. */
export function serveSymlink(
  context: ServeContext,
  link: Entity & { kind: 'symlink' },
): Promise<GatewayResponse> {
  return serveBytes(context, link.target, {
    etag: `"${link.cid}"`,
    contentType: 'inode/symlink',
    disposition: undefined,
  })
}

/** The `index.html` entry of a directory (plain or HAMT), if it has one. */
async function findIndex(
  context: ServeContext,
  dir: Entity & { kind: 'directory' },
): Promise<CID | undefined> {
  if (!dir.hamt) return dir.node.Links.find((link) => link.Name === 'index.html')?.Hash
  const resolver = resolvers[dagPb.code]
  if (resolver === undefined) return undefined
  try {
    for await (const result of resolver(dir.cid, ['index.html'], exporterStorage(context.source)))
      return result.cid
  } catch (error) {
    const translated = translateExporterError(error)
    if (translated instanceof ContentNotFoundError) return undefined
    throw translated
  }
  return undefined
}

/**
 * A directory: 301 to the URL with a trailing slash (query kept), else its `index.html`
 * (immutable, ETag of the directory), else a generated listing (DirIndex ETag, a week's cache).
 */
export async function serveDirectory(
  context: ServeContext,
  dir: Entity & { kind: 'directory' },
): Promise<GatewayResponse> {
  const { request, path, source } = context
  if (!path.trailingSlash) {
    const query = request.query === '' ? '' : `?${request.query}`
    return {
      status: 301,
      headers: {
        Location: `${request.prefix}/ipfs/${path.cidText}${encodeSegments(path.segments)}/${query}`,
        'X-Ipfs-Path': context.headers['X-Ipfs-Path'] ?? '',
      },
    }
  }
  const index = await findIndex(context, dir)
  if (index !== undefined) {
    const entity = classifyBlock(index, await source.get(index))
    if (entity.kind === 'file') return serveFile(context, entity, dir.cid, 'index.html')
  }
  const etag = dirIndexEtag(dir.cid)
  return conditional(
    context,
    [etag, `"${dir.cid}"`],
    generatedCache(context.init),
    async (headers) => ({
      status: 200,
      headers: { ...headers, ETag: etag, 'Content-Type': 'text/html; charset=utf-8' },
      body:
        request.method === 'HEAD'
          ? undefined
          : () => renderListing(source, { prefix: request.prefix, path, dir }),
    }),
  )
}
