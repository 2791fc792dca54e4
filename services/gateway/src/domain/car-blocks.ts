import { walkDag, type Block } from '@pinion/blockstore'
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import type { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import type { BlockSource } from './block-source.js'
import { entityRange, type CarParams } from './car-params.js'
import type { Entity } from './entity.js'
import { MalformedDagError } from './errors.js'
import { fileNodes } from './file-reader.js'

/**
 * With `dups=y` a small DAG can link one subtree exponentially often (each level linking the
 * next twice); past this many blocks such a CAR is cut rather than streamed for ever.
 */
export const maxBlocksWithDuplicates = 1_000_000

/** Limits and tuning of a CAR walk. */
export interface CarWalkOptions {
  maxDagDepth: number
  readAhead: number
}

/** Sub-shards of a HAMT node: links whose name is only the bucket prefix. */
function hamtShardLinks(node: dagPb.PBNode, fanout: bigint): CID[] {
  const prefixLength = (fanout - 1n).toString(16).length
  return node.Links.filter((link) => (link.Name ?? '').length === prefixLength).map(
    (link) => link.Hash,
  )
}

function fanoutOf(cid: CID, node: dagPb.PBNode): bigint {
  const unixfs = UnixFS.unmarshal(node.Data ?? new Uint8Array())
  if (unixfs.fanout === undefined) throw new MalformedDagError(`${cid}: HAMT shard without fanout`)
  return unixfs.fanout
}

/** The HAMT's own nodes (not its entries), depth-first: what enumerating the directory needs. */
async function* hamtBlocks(
  source: BlockSource,
  root: Entity & { kind: 'directory' },
  maxDepth: number,
): AsyncGenerator<Block> {
  const stack: { cid: CID; depth: number; bytes?: Uint8Array }[] = [
    { cid: root.cid, depth: 0, bytes: root.bytes },
  ]
  while (stack.length > 0) {
    const entry = stack.pop()
    if (entry === undefined) break
    if (entry.depth > maxDepth)
      throw new MalformedDagError(`${root.cid}: HAMT deeper than ${maxDepth}`)
    const bytes = entry.bytes ?? (await source.get(entry.cid))
    yield { cid: entry.cid, bytes }
    const node = dagPb.decode(bytes)
    const shards = hamtShardLinks(node, fanoutOf(entry.cid, node))
    for (let i = shards.length - 1; i >= 0; i--)
      stack.push({ cid: shards[i] as CID, depth: entry.depth + 1 })
  }
}

/** The blocks of the entity at the path's end, for `dag-scope=entity`. */
async function* entityBlocks(
  source: BlockSource,
  entity: Entity,
  params: CarParams,
  options: CarWalkOptions,
): AsyncGenerator<Block> {
  if (entity.kind === 'file') {
    const range = entityRange(params.entityBytes, entity.size)
    if (range === undefined) {
      yield entity
      return
    }
    const readOptions = { maxDepth: options.maxDagDepth, readAhead: options.readAhead }
    yield* fileNodes(source, entity, range, readOptions)
    return
  }
  if (entity.kind === 'directory' && entity.hamt) {
    yield* hamtBlocks(source, entity, options.maxDagDepth)
    return
  }
  // A plain directory, a symlink, a document: the entity is its one block.
  yield entity
}

function scopeBlocks(
  source: BlockSource,
  entity: Entity,
  params: CarParams,
  options: CarWalkOptions,
): AsyncIterable<Block> {
  switch (params.scope) {
    case 'block':
      return (async function* () {
        yield entity
      })()
    case 'entity':
      return entityBlocks(source, entity, params, options)
    case 'all':
      return walkDag(source, entity.cid, {
        duplicates: params.duplicates,
        readAhead: options.readAhead,
      })
  }
}

/**
 * The blocks of a trustless CAR response, in order: the blocks that prove the path (as read
 * while resolving it), then the scope under the path's end (IPIP-0402), depth-first. With
 * `dups=n` each block goes once; identity blocks never go (their bytes are in the CID).
 *
 * @throws (while iterating) BlockNotFoundError when a needed block is missing; MalformedDagError.
 */
export async function* carBlocks(
  source: BlockSource,
  pathBlocks: readonly Block[],
  entity: Entity,
  params: CarParams,
  options: CarWalkOptions,
): AsyncGenerator<Block> {
  const sent = new Set<string>()
  let count = 0
  const fresh = (block: Block): boolean => {
    if (block.cid.multihash.code === identity.code) return false
    if (params.duplicates) {
      count += 1
      if (count > maxBlocksWithDuplicates)
        throw new MalformedDagError(`CAR with dups=y exceeds ${maxBlocksWithDuplicates} blocks`)
      return true
    }
    // CIDv0 and CIDv1 of one dag-pb node are one block.
    const key = block.cid.toV1().toString()
    if (sent.has(key)) return false
    sent.add(key)
    return true
  }
  for (const block of pathBlocks) if (fresh(block)) yield block
  for await (const block of scopeBlocks(source, entity, params, options))
    if (fresh(block)) yield { cid: block.cid, bytes: block.bytes }
}
