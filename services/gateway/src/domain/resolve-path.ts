import type { Block } from '@pinion/blockstore'
import * as dagPb from '@ipld/dag-pb'
import { resolvers } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { exporterStorage, observeReads, type BlockSource } from './block-source.js'
import type { ContentPath } from './content-path.js'
import { ContentNotFoundError, GatewayRequestError, PathInsideDocumentError } from './errors.js'
import { translateExporterError } from './exporter-errors.js'

/** Where a content path leads, and what it took to get there. */
export interface ResolvedPath {
  /** The CID the path ends at. */
  readonly terminus: CID
  /** The root and each path step's CID, for `X-Ipfs-Roots` (HAMT shards are not steps). */
  readonly roots: readonly CID[]
  /** Every block read on the way (root, directories, HAMT shards), in order: a CAR's path blocks. */
  readonly pathBlocks: readonly Block[]
}

/** Options of {@link resolvePath}. */
export interface ResolveOptions {
  /** Deepest HAMT (levels) allowed per path step; bounds the reads a path may cost. */
  maxDagDepth: number
}

/**
 * Walks a content path through the DAG with `ipfs-unixfs-exporter`'s per-codec resolvers: UnixFS
 * directories (HAMT-sharded ones transparently), and dag-cbor/dag-json documents through their
 * links. Symlinks are not followed (the spec serves them as files).
 *
 * @throws ContentNotFoundError / BlockNotFoundError (404) when a segment or block is missing;
 *   PathInsideDocumentError (501) when the path goes on inside a document; GatewayRequestError
 *   (400) when resolving would take more reads than the path may cost; MalformedDagError (422).
 */
export async function resolvePath(
  source: BlockSource,
  path: ContentPath,
  options: ResolveOptions,
): Promise<ResolvedPath> {
  const pathBlocks: Block[] = []
  // One read per step plus the HAMT levels below it: a deeper walk is a crafted DAG.
  const maxReads = (path.segments.length + 1) * options.maxDagDepth
  const storage = exporterStorage(
    observeReads(source, (cid, bytes) => {
      pathBlocks.push({ cid, bytes })
      if (pathBlocks.length > maxReads)
        throw new GatewayRequestError(`Resolving the path takes more than ${maxReads} blocks`)
    }),
  )
  let cid = path.cid
  let rest = [...path.segments]
  const roots: CID[] = [cid]
  try {
    while (rest.length > 0) {
      const resolver = resolvers[cid.code]
      if (resolver === undefined) throw new GatewayRequestError(`Cannot path into ${cid}`)
      let next: { cid: CID; rest: string[] } | undefined
      for await (const result of resolver(cid, rest, storage)) {
        next = result
        break
      }
      if (next === undefined || next.cid.equals(cid)) {
        // Not one step further: a file, symlink or raw block has no children, and a document
        // path that ends on a value other than a link is not something the gateway serves.
        if (cid.code === dagPb.code || cid.code === raw.code) {
          throw new ContentNotFoundError(`No "${rest[0]}" under ${cid}: it is not a directory`)
        }
        throw new PathInsideDocumentError(rest)
      }
      cid = next.cid
      rest = next.rest
      roots.push(cid)
    }
  } catch (error) {
    throw translateExporterError(error)
  }
  return { terminus: cid, roots, pathBlocks }
}
