import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import type { BlockSource } from './block-source.js'
import { MalformedDagError } from './errors.js'

/** One node of a UnixFS file DAG met in order, with the part of its own bytes in the range. */
export interface FileNode {
  readonly cid: CID
  readonly bytes: Uint8Array
  /** The node's own file bytes that fall in the range (often empty for intermediate nodes). */
  readonly data: Uint8Array
}

/** A byte range of a file: `start` inclusive, `end` exclusive. */
export interface FileRange {
  start: number
  end: number
}

/** Options of {@link fileNodes}. */
export interface FileReadOptions {
  /** Deepest tree allowed (levels below the root). */
  maxDepth: number
  /** Blocks read ahead of the one being yielded; bounds memory to that many leaves. */
  readAhead: number
}

interface Task {
  cid: CID
  /** File offset of the first byte under this node. */
  offset: number
  depth: number
  bytes?: Promise<Uint8Array>
}

function inRange(data: Uint8Array, offset: number, range: FileRange): Uint8Array {
  const from = Math.max(0, range.start - offset)
  const to = Math.min(data.length, range.end - offset)
  return to > from ? data.subarray(from, to) : data.subarray(0, 0)
}

function decodeFileNode(
  cid: CID,
  bytes: Uint8Array,
): { data: Uint8Array; links: CID[]; sizes: number[] } {
  if (cid.code === raw.code) return { data: bytes, links: [], sizes: [] }
  if (cid.code !== dagPb.code)
    throw new MalformedDagError(`${cid}: codec 0x${cid.code.toString(16)} inside a UnixFS file`)
  let node: dagPb.PBNode
  let unixfs: UnixFS
  try {
    node = dagPb.decode(bytes)
    unixfs = UnixFS.unmarshal(node.Data ?? new Uint8Array())
  } catch (error) {
    throw new MalformedDagError(`${cid} is not a UnixFS file node`, { cause: error })
  }
  if (unixfs.type !== 'file' && unixfs.type !== 'raw')
    throw new MalformedDagError(`${cid} is a UnixFS ${unixfs.type} inside a file`)
  if (node.Links.length !== unixfs.blockSizes.length)
    throw new MalformedDagError(
      `${cid}: ${node.Links.length} links but ${unixfs.blockSizes.length} block sizes`,
    )
  return {
    data: unixfs.data ?? new Uint8Array(),
    links: node.Links.map((link) => link.Hash),
    sizes: unixfs.blockSizes.map(Number),
  }
}

/**
 * The nodes of a UnixFS file DAG that hold bytes of `range`, depth-first in file order, read
 * lazily: a node's block is read only when the consumer has taken the nodes before it (plus a
 * read-ahead window of `readAhead` blocks), so a slow or vanished consumer stops the reads, and
 * subtrees outside the range are never read (so missing blocks there do not matter).
 *
 * Written here rather than taken from `ipfs-unixfs-exporter`, whose file reader pushes every
 * block into an unbounded queue as fast as the blockstore answers, whatever the consumer does.
 *
 * @throws (while iterating) BlockNotFoundError for a missing block in the range; MalformedDagError
 *   for a node that is not a UnixFS file node or a tree deeper than `maxDepth`.
 */
export async function* fileNodes(
  source: BlockSource,
  root: { cid: CID; bytes: Uint8Array },
  range: FileRange,
  options: FileReadOptions,
): AsyncGenerator<FileNode> {
  const load = (cid: CID): Promise<Uint8Array> => {
    const promise = source.get(cid)
    // A read-ahead that is never awaited (the consumer stopped) must not become unhandled.
    promise.catch(() => undefined)
    return promise
  }
  const stack: Task[] = [{ cid: root.cid, offset: 0, depth: 0, bytes: Promise.resolve(root.bytes) }]
  let yielded = 0
  while (stack.length > 0) {
    // The window opens as the consumer takes nodes: a HEAD or a sniff that stops after the first
    // leaf has read nothing else, a long read soon has `readAhead` blocks in flight.
    const window = Math.min(options.readAhead, yielded)
    for (let i = stack.length - 1; i >= 0 && i >= stack.length - window; i--) {
      const task = stack[i]
      if (task !== undefined && task.bytes === undefined) task.bytes = load(task.cid)
    }
    const task = stack.pop()
    if (task === undefined) break
    const bytes = await (task.bytes ?? load(task.cid))
    const node = decodeFileNode(task.cid, bytes)
    yield { cid: task.cid, bytes, data: inRange(node.data, task.offset, range) }
    yielded += 1
    const children: Task[] = []
    let offset = task.offset + node.data.length
    for (let i = 0; i < node.links.length && offset < range.end; i++) {
      const size = node.sizes[i] ?? 0
      const link = node.links[i]
      if (link !== undefined && offset < range.end && offset + size > range.start)
        children.push({ cid: link, offset, depth: task.depth + 1 })
      offset += size
    }
    if (children.length > 0 && task.depth + 1 > options.maxDepth)
      throw new MalformedDagError(`${root.cid}: file tree deeper than ${options.maxDepth} levels`)
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Task)
  }
}

/** The bytes of `range` of a UnixFS file, in order, as {@link fileNodes} reads them. */
export async function* fileBytes(
  source: BlockSource,
  root: { cid: CID; bytes: Uint8Array },
  range: FileRange,
  options: FileReadOptions,
): AsyncGenerator<Uint8Array> {
  for await (const node of fileNodes(source, root, range, options)) {
    if (node.data.length > 0) yield node.data
  }
}
