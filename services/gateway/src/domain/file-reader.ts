import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { ownedBlock, type BlockSource, type BorrowedBlock } from './block-source.js'
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
  /**
   * Read blocks into pooled buffers ({@link BlockSource.borrow}): a yielded node's bytes (and its
   * `data`) are then valid only until the next node is asked for, and the consumer must be done
   * with them by then. Blocks read before the first node with data was taken are not lent, so a
   * consumer may hold the first chunk while it reads the second.
   */
  borrow?: boolean
}

interface Task {
  cid: CID
  /** File offset of the first byte under this node. */
  offset: number
  depth: number
  block?: Promise<BorrowedBlock>
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
  let dataTaken = false
  const load = (cid: CID): Promise<BorrowedBlock> => {
    const lend = options.borrow === true && dataTaken
    const promise = lend ? source.borrow(cid) : source.get(cid).then(ownedBlock)
    // A read-ahead that is never awaited (the consumer stopped) must not become unhandled.
    promise.catch(() => undefined)
    return promise
  }
  const stack: Task[] = [
    { cid: root.cid, offset: 0, depth: 0, block: Promise.resolve(ownedBlock(root.bytes)) },
  ]
  let yielded = 0
  let current: BorrowedBlock | undefined
  try {
    while (stack.length > 0) {
      // The window opens as the consumer takes nodes: a HEAD or a sniff that stops after the
      // first leaf has read nothing else, a long read soon has `readAhead` blocks in flight.
      const window = Math.min(options.readAhead, yielded)
      for (let i = stack.length - 1; i >= 0 && i >= stack.length - window; i--) {
        const task = stack[i]
        if (task !== undefined && task.block === undefined) task.block = load(task.cid)
      }
      const task = stack.pop()
      if (task === undefined) break
      current = await (task.block ?? load(task.cid))
      let node = decodeFileNode(task.cid, current.bytes)
      if (node.links.length > 0 && current.lent) {
        // The link CIDs are views into a lent buffer and outlive this node: keep a copy.
        const bytes = current.bytes.slice()
        current.release()
        current = ownedBlock(bytes)
        node = decodeFileNode(task.cid, bytes)
      }
      const data = inRange(node.data, task.offset, range)
      yield { cid: task.cid, bytes: current.bytes, data }
      dataTaken ||= data.length > 0
      current.release()
      current = undefined
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
  } finally {
    // Stopped early (a client gone, a HEAD, an error): give back what is lent, read-ahead too.
    current?.release()
    for (const task of stack) void task.block?.then((block) => block.release(), keepGoing)
  }
}

const keepGoing = () => undefined

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
