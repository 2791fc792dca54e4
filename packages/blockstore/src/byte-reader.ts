/**
 * A pull-based byte reader over an async stream of chunks, with the interface @ipld/car's decoder
 * functions take (`upTo`, `exactly`, `seek`, `pos`). Unlike @ipld/car's own `asyncIterableReader`,
 * which copies the buffered remainder and each new chunk into a fresh buffer on every refill, this
 * one keeps the chunks as they came: a block inside one chunk is returned as a view (no copy), and
 * only a block spanning chunks is copied, once. That keeps CAR import near the stream's speed.
 */
export interface ByteReader {
  /** Up to `length` bytes from the current position (fewer only at the end), without consuming. */
  upTo(length: number): Promise<Uint8Array>
  /** Exactly `length` bytes, consumed when `seek` is true; throws "Unexpected end of data". */
  exactly(length: number, seek?: boolean): Promise<Uint8Array>
  /** Skips `length` bytes forward (pulling them from the stream when needed). */
  seek(length: number): void
  /** Bytes consumed so far. */
  readonly pos: number
}

/** A {@link ByteReader} pulling `source` only as far as reads need (backpressure preserved). */
export function chunkedByteReader(source: AsyncIterable<Uint8Array>): ByteReader {
  const iterator = source[Symbol.asyncIterator]()
  const chunks: Uint8Array[] = []
  let offset = 0 // into chunks[0]
  let buffered = 0 // bytes available from offset on
  let pos = 0
  let pendingSkip = 0
  let ended = false

  async function fill(length: number): Promise<void> {
    while (!ended && buffered - pendingSkip < length) {
      const next = await iterator.next()
      if (next.done === true) {
        ended = true
        break
      }
      if (next.value.length === 0) continue
      chunks.push(next.value)
      buffered += next.value.length
    }
    applySkip()
  }

  function applySkip(): void {
    const skip = Math.min(pendingSkip, buffered)
    consume(skip)
    pendingSkip -= skip
  }

  function consume(length: number): void {
    buffered -= length
    let left = length
    while (left > 0) {
      const first = chunks[0] as Uint8Array
      const available = first.length - offset
      if (left < available) {
        offset += left
        return
      }
      left -= available
      chunks.shift()
      offset = 0
    }
  }

  function view(length: number): Uint8Array {
    const first = chunks[0]
    if (first === undefined || length === 0) return new Uint8Array(0)
    if (first.length - offset >= length) return first.subarray(offset, offset + length)
    const out = new Uint8Array(length)
    let written = 0
    for (let i = 0; written < length; i++) {
      const chunk = chunks[i] as Uint8Array
      const start = i === 0 ? offset : 0
      const take = Math.min(chunk.length - start, length - written)
      out.set(chunk.subarray(start, start + take), written)
      written += take
    }
    return out
  }

  return {
    async upTo(length) {
      await fill(length)
      return view(Math.min(length, buffered))
    },
    async exactly(length, seek = false) {
      await fill(length)
      if (buffered < length) throw new Error('Unexpected end of data')
      const out = view(length)
      if (seek) {
        consume(length)
        pos += length
      }
      return out
    },
    seek(length) {
      pos += length
      pendingSkip += length
      applySkip()
    },
    get pos() {
      return pos
    },
  }
}
