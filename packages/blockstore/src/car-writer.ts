import * as dagCbor from '@ipld/dag-cbor'
import { varint } from 'multiformats'
import type { CID } from 'multiformats/cid'
import type { AbortOptions, Block } from './blockstore.js'

function withLengthPrefix(length: number, parts: readonly Uint8Array[]): Uint8Array {
  const prefixLength = varint.encodingLength(length)
  const out = new Uint8Array(prefixLength + parts.reduce((sum, part) => sum + part.length, 0))
  varint.encodeTo(length, out, 0)
  let offset = prefixLength
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** The CARv1 header naming `roots`, length prefix included. */
export function encodeCarHeader(roots: readonly CID[]): Uint8Array {
  const header = dagCbor.encode({ version: 1, roots: [...roots] })
  return withLengthPrefix(header.length, [header])
}

/**
 * One CARv1 section as two chunks (length prefix + CID, then the block bytes as given), so a large
 * block is never copied.
 */
export function encodeCarSection(block: Block): [Uint8Array, Uint8Array] {
  const cidBytes = block.cid.bytes
  return [withLengthPrefix(cidBytes.length + block.bytes.length, [cidBytes]), block.bytes]
}

/** A CARv1 byte stream: header naming `roots`, then each block in the order given. */
export async function* encodeCar(
  roots: readonly CID[],
  blocks: AsyncIterable<Block> | Iterable<Block>,
  options: AbortOptions = {},
): AsyncGenerator<Uint8Array> {
  yield encodeCarHeader(roots)
  for await (const block of blocks) {
    options.signal?.throwIfAborted()
    yield* encodeCarSection(block)
  }
}
