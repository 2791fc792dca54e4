import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import type { AbortOptions, DagNode, DagSize } from './blockstore.js'
import { BlockDecodeError, InvalidCarError } from './errors.js'
import { isIdentity, supportedCodecs } from './verify.js'

/** The one thing a DAG walk needs from a backend. */
export interface BlockReader {
  /** @throws BlockNotFoundError when absent. */
  get(cid: CID, options?: AbortOptions): Promise<Uint8Array>
}

/** Blocks read ahead of the walk, so a remote backend's latency overlaps. */
const DEFAULT_READ_AHEAD = 8

function* cidsIn(value: unknown, depth = 0): Generator<CID> {
  // Decoded dag-cbor/dag-json is bounded by the block size, but guard the recursion anyway.
  if (depth > 256 || value === null || typeof value !== 'object') return
  const cid = CID.asCID(value)
  if (cid !== null) {
    yield cid
    return
  }
  if (value instanceof Uint8Array) return
  const children = Array.isArray(value) ? value : Object.values(value)
  for (const child of children) yield* cidsIn(child, depth + 1)
}

/**
 * The links of a block, in order: dag-pb `Links`, CIDs anywhere in dag-cbor/dag-json, none for
 * raw, json and cbor.
 *
 * @throws BlockDecodeError when the bytes do not decode; InvalidCarError `UNSUPPORTED_CODEC`.
 */
export function decodeLinks(cid: CID, bytes: Uint8Array): CID[] {
  if (!supportedCodecs.has(cid.code)) {
    throw new InvalidCarError('UNSUPPORTED_CODEC', `codec 0x${cid.code.toString(16)}`, {
      cid: cid.toString(),
    })
  }
  try {
    switch (cid.code) {
      case dagPb.code:
        return dagPb.decode(bytes).Links.map((link) => link.Hash)
      case dagCbor.code:
        return [...cidsIn(dagCbor.decode(bytes))]
      case dagJson.code:
        return [...cidsIn(dagJson.decode(bytes))]
      default:
        return []
    }
  } catch (error) {
    throw new BlockDecodeError(cid.toString(), { cause: error })
  }
}

/** Identity for "each block once": CIDv0 and its CIDv1 are the same dag-pb node. */
export function blockKey(cid: CID): string {
  return cid.version === 0 ? cid.toV1().toString() : cid.toString()
}

interface Pending {
  cid: CID
  bytes?: Promise<Uint8Array>
}

/** Options of {@link walkDag}. */
export interface WalkOptions extends AbortOptions {
  /** Blocks read ahead of the one being yielded. Default 8. */
  readAhead?: number
  /**
   * Yield a block again each time it is linked, instead of once (the trustless gateway's CAR
   * `dups=y`). Default false.
   */
  duplicates?: boolean
}

/**
 * Depth-first pre-order walk of the DAG under `root`, each block once (every time it is linked
 * with `duplicates`), reading through `reader`
 * with a small read-ahead window (the next blocks in walk order). Identity blocks are decoded from
 * their CID and never read.
 *
 * @throws whatever `reader.get` throws (BlockNotFoundError), BlockDecodeError, the signal's reason.
 */
export async function* walkDag(
  reader: BlockReader,
  root: CID,
  options: WalkOptions = {},
): AsyncGenerator<DagNode & { bytes: Uint8Array }> {
  const readAhead = Math.max(1, options.readAhead ?? DEFAULT_READ_AHEAD)
  const seen = new Set<string>()
  const once = options.duplicates !== true
  const visited = (cid: CID): boolean => once && seen.has(blockKey(cid))
  const stack: Pending[] = [{ cid: root }]
  const load = (cid: CID): Promise<Uint8Array> => {
    if (isIdentity(cid)) return Promise.resolve(cid.multihash.digest)
    const promise = reader.get(cid, { signal: options.signal })
    // Read-ahead promises may be dropped (duplicates, an error elsewhere); never leave them
    // as unhandled rejections. The one we await still rejects.
    promise.catch(() => undefined)
    return promise
  }
  try {
    while (stack.length > 0) {
      options.signal?.throwIfAborted()
      for (let i = stack.length - 1; i >= 0 && i >= stack.length - readAhead; i--) {
        const entry = stack[i]
        if (entry !== undefined && entry.bytes === undefined && !visited(entry.cid)) {
          entry.bytes = load(entry.cid)
        }
      }
      const entry = stack.pop()
      if (entry === undefined) break
      if (visited(entry.cid)) continue
      if (once) seen.add(blockKey(entry.cid))
      const bytes = await (entry.bytes ?? load(entry.cid))
      const links = decodeLinks(entry.cid, bytes)
      yield { cid: entry.cid, size: bytes.length, links, bytes }
      for (let i = links.length - 1; i >= 0; i--) {
        const link = links[i]
        if (link !== undefined && !visited(link)) stack.push({ cid: link })
      }
    }
  } finally {
    stack.length = 0
  }
}

/** Distinct blocks and bytes under `root`, walking with {@link walkDag}. */
export async function dagSizeOf(
  reader: BlockReader,
  root: CID,
  options: AbortOptions = {},
): Promise<DagSize> {
  let blocks = 0
  let bytes = 0
  for await (const node of walkDag(reader, root, options)) {
    blocks += 1
    bytes += node.size
  }
  return { blocks, bytes }
}
