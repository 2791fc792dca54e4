import type { CID } from 'multiformats/cid'
import type { AbortOptions, Block } from './blockstore.js'
import { encodeCar } from './car-writer.js'
import { walkDag, type BlockReader } from './dag.js'
import { isIdentity } from './verify.js'

async function* dagBlocks(
  reader: BlockReader,
  root: CID,
  options: AbortOptions,
): AsyncGenerator<Block> {
  for await (const node of walkDag(reader, root, options)) {
    // Identity blocks live inside their CID; a CAR reader needs no section for them.
    if (!isIdentity(node.cid)) yield { cid: node.cid, bytes: node.bytes }
  }
}

/**
 * The DAG under `root` as a CARv1 stream (root in the header; blocks depth-first, each once),
 * read through `reader`. Pulls blocks only as fast as the consumer reads.
 *
 * @throws (while iterating) BlockNotFoundError for a missing block, BlockDecodeError.
 */
export function exportCarFrom(
  reader: BlockReader,
  root: CID,
  options: AbortOptions = {},
): AsyncGenerator<Uint8Array> {
  return encodeCar([root], dagBlocks(reader, root, options), options)
}
