/** Reusable buffers of one size. */
export interface BufferPool {
  /** Bytes in each buffer. */
  readonly bufferBytes: number
  /** A buffer of `bufferBytes`, reused when one is free. */
  acquire(): Uint8Array
  /** Gives a buffer from {@link BufferPool.acquire} back; nothing may use it afterwards. */
  release(buffer: Uint8Array): void
}

/** Bounds of {@link createBufferPool}. */
export interface BufferPoolInit {
  bufferBytes: number
  /** Most free buffers kept; more are left to the garbage collector. */
  maxFree: number
}

/**
 * Creates a {@link BufferPool}. Streaming a large file through fresh 256 KiB buffers makes V8 run
 * a full mark-compact every few dozen MiB (the external memory it allocates counts towards
 * garbage-collection pressure): at 1 GiB/s that took more CPU than the reads and the socket did.
 */
export function createBufferPool(init: BufferPoolInit): BufferPool {
  const free: Uint8Array[] = []
  return {
    bufferBytes: init.bufferBytes,
    acquire: () => free.pop() ?? new Uint8Array(init.bufferBytes),
    release(buffer) {
      if (buffer.byteLength === init.bufferBytes && free.length < init.maxFree) free.push(buffer)
    },
  }
}
