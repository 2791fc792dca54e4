/** A response the routes write out: status, headers, and a lazily started body. */
export interface GatewayResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /**
   * Starts the body. Not called for HEAD, 304 and redirects. The route pulls it only as fast as
   * the client reads, and calls `return()` on it when the client goes away.
   */
  readonly body?: (() => AsyncIterable<Uint8Array>) | undefined
  /**
   * The same body when it is one chunk in memory already (a raw block, a document): the route
   * may write it at once instead of pulling `body`.
   */
  readonly bytes?: Uint8Array | undefined
  /**
   * The body's chunks are lent (read into pooled buffers): each one from the second on is valid
   * only until the next is asked for, so the writer must be done with it (the socket has written
   * it) first. The first chunk is never lent: the writer may read one ahead before the status
   * goes out.
   */
  readonly borrowed?: boolean | undefined
}

/** A body of bytes already in memory. */
export function bytesBody(bytes: Uint8Array): () => AsyncIterable<Uint8Array> {
  return async function* () {
    if (bytes.length > 0) yield bytes
  }
}

/** The first `length` bytes of an iterator, and a body that continues from where they end. */
export interface PeekedStream {
  /** Up to `length` bytes from the start. */
  readonly head: Uint8Array
  /** Whether the stream ended within the peek (so `head` holds all of it). */
  readonly complete: boolean
  /** The whole stream again: the chunks already read, then the rest. */
  readonly body: () => AsyncIterable<Uint8Array>
  /** Releases the stream when its body will not be sent (HEAD). */
  close(): Promise<void>
}

/**
 * Reads the first chunk of a stream of `total` bytes (for content sniffing) without losing it:
 * one chunk is one leaf block, so a HEAD reads no more than the root and the first leaf. Errors
 * of the first read (a missing first block) surface here, before any header is sent.
 */
export async function peekStream(
  source: AsyncIterable<Uint8Array>,
  length: number,
  total: number,
): Promise<PeekedStream> {
  const iterator = source[Symbol.asyncIterator]()
  const chunks: Uint8Array[] = []
  const next = await iterator.next()
  if (next.done !== true) chunks.push(next.value)
  const first = chunks[0] ?? new Uint8Array()
  const complete = next.done === true || first.length >= total
  const head = first.subarray(0, length)
  return {
    head,
    complete,
    body: () =>
      (async function* () {
        yield* chunks
        if (complete) return
        try {
          for (;;) {
            const next = await iterator.next()
            if (next.done === true) return
            yield next.value
          }
        } finally {
          await iterator.return?.()
        }
      })(),
    close: async () => {
      await iterator.return?.()
    },
  }
}
