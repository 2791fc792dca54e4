import { limitReader, readBlockHead, readHeader } from '@ipld/car/decoder'
import type { CID } from 'multiformats/cid'
import type { AbortOptions, AwaitIterable, Block } from './blockstore.js'
import { chunkedByteReader, type ByteReader } from './byte-reader.js'
import { InvalidCarError, type InvalidCarCode } from './errors.js'
import { DEFAULT_MAX_BLOCK_SIZE, verifyBlock } from './verify.js'

/** Options of {@link readCar}. */
export interface ReadCarOptions extends AbortOptions {
  /** Largest block accepted, in bytes. Default 4 MiB. */
  maxBlockSize?: number
}

/** A CAR being read: its roots, then its verified blocks. */
export interface CarStream {
  roots: CID[]
  /** Each block, verified against its CID, in CAR order. Iterate once. */
  blocks: AsyncGenerator<Block>
}

// A header holds only roots; more than this is an attack, not a CAR.
const MAX_HEADER_SIZE = 1024 * 1024

class LimitExceeded extends Error {}

/** Refuses any single read larger than `limit`, before the reader starts buffering it. */
function guarded(reader: ByteReader, limit: number): ByteReader {
  return {
    upTo: (length) => reader.upTo(length),
    exactly: (length, seek) => {
      if (length > limit) return Promise.reject(new LimitExceeded(String(length)))
      return reader.exactly(length, seek)
    },
    seek: (length) => reader.seek(length),
    get pos() {
      return reader.pos
    },
  }
}

function isTruncation(error: unknown): boolean {
  const message = error instanceof Error ? error.message : ''
  // @ipld/car's reader says "Unexpected end of data"; the varint decoder, "Could not decode varint".
  return /Unexpected end of data|Could not decode varint/i.test(message)
}

function classify(error: unknown, phase: 'header' | 'block', empty: boolean): InvalidCarError {
  if (error instanceof InvalidCarError) return error
  const message = error instanceof Error ? error.message : String(error)
  let code: InvalidCarCode
  // Until a header parses we cannot tell a cut CAR from something that is not a CAR at all.
  if (phase === 'header') code = 'BAD_HEADER'
  else if (error instanceof LimitExceeded) code = 'BLOCK_TOO_LARGE'
  else if (isTruncation(error)) code = 'TRUNCATED'
  else code = 'BAD_BLOCK'
  const details = empty ? 'empty stream' : message
  return new InvalidCarError(code, details, { cause: error })
}

/**
 * Reads a CAR (v1, or v2's inner v1) from a byte stream, verifying each block as it passes:
 * constant memory (one block at a time), pulling the source only as fast as the consumer iterates.
 *
 * @throws InvalidCarError for a bad header (from this call) and, while iterating `blocks`, for a
 *   truncated stream, a malformed section, an oversized block, an unsupported CID or a hash
 *   mismatch. A source error or abort propagates as it is.
 */
export async function readCar(
  source: AwaitIterable<Uint8Array>,
  options: ReadCarOptions = {},
): Promise<CarStream> {
  const maxBlockSize = options.maxBlockSize ?? DEFAULT_MAX_BLOCK_SIZE
  let received = 0
  // The source's own failure (a socket error, a caller's size limit) is not a CAR problem.
  let sourceFailure: { error: unknown } | undefined
  async function* counted(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of source) {
        options.signal?.throwIfAborted()
        received += chunk.length
        yield chunk
      }
    } catch (error) {
      sourceFailure = { error }
      throw error
    }
  }
  let reader = guarded(chunkedByteReader(counted()), Math.max(maxBlockSize, MAX_HEADER_SIZE))
  let roots: CID[]
  try {
    const header = await readHeader(reader)
    roots = header.roots
    if (header.version === 2) {
      // CARv2 wraps a CARv1 payload of dataSize bytes; the index after it is not needed.
      reader = limitReader(reader, header.dataSize - (reader.pos - header.dataOffset))
    }
  } catch (error) {
    options.signal?.throwIfAborted()
    if (sourceFailure !== undefined) throw sourceFailure.error
    throw classify(error, 'header', received === 0)
  }

  async function* blocks(): AsyncGenerator<Block> {
    for (;;) {
      let block: Block
      try {
        if ((await reader.upTo(8)).length === 0) return
        const head = await readBlockHead(reader)
        if (head.blockLength < 0) throw new Error('section shorter than its CID')
        if (head.blockLength > maxBlockSize) {
          throw new InvalidCarError(
            'BLOCK_TOO_LARGE',
            `block of ${head.blockLength} bytes exceeds ${maxBlockSize}`,
            { cid: head.cid.toString() },
          )
        }
        const bytes = await reader.exactly(head.blockLength, true)
        block = { cid: head.cid, bytes }
      } catch (error) {
        options.signal?.throwIfAborted()
        if (sourceFailure !== undefined) throw sourceFailure.error
        throw classify(error, 'block', false)
      }
      verifyBlock(block.cid, block.bytes, maxBlockSize)
      yield block
    }
  }

  return { roots, blocks: blocks() }
}
