import type { Block } from '@pinion/blockstore'

/**
 * A bounded hand-over from a producer that calls `put` (the UnixFS importer, several blocks in
 * flight) to one consumer that iterates (`Blockstore.putMany`). `put` resolves once the block is
 * queued, so a slow consumer slows the producer down: with at most `capacity` blocks queued and
 * the importer's own few in flight, memory stays flat whatever the size of the input.
 */
export class BlockChannel implements AsyncIterable<Block> {
  readonly #capacity: number
  readonly #queue: Block[] = []
  /** Producers waiting for room, in arrival order. */
  readonly #waitingForRoom: Array<{ resolve: () => void; reject: (error: unknown) => void }> = []
  /** The consumer waiting for a block or the end. */
  #waitingForBlock: (() => void) | undefined
  #closed = false
  #failure: { error: unknown } | undefined

  /** @param capacity blocks queued at most before `put` waits (≥ 1). */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`)
    }
    this.#capacity = capacity
  }

  /**
   * Queues a block, waiting while the queue is full.
   *
   * @throws the failure given to {@link fail}, or Error after {@link close}.
   */
  async put(block: Block): Promise<void> {
    while (this.#queue.length >= this.#capacity && this.#failure === undefined) {
      await new Promise<void>((resolve, reject) => this.#waitingForRoom.push({ resolve, reject }))
    }
    if (this.#failure !== undefined) throw this.#failure.error
    if (this.#closed) throw new Error('put after the channel was closed')
    this.#queue.push(block)
    this.#wakeConsumer()
  }

  /** No more blocks: the consumer's iteration ends once the queue is drained. */
  close(): void {
    this.#closed = true
    this.#wakeConsumer()
  }

  /**
   * Stops both sides: waiting and later `put` calls reject with `error`, and the consumer's
   * iteration throws it (so an all-or-nothing `putMany` stores nothing). Idempotent; the first
   * error wins.
   */
  fail(error: unknown): void {
    if (this.#failure !== undefined) return
    this.#failure = { error }
    this.#queue.length = 0
    for (const waiter of this.#waitingForRoom.splice(0)) waiter.reject(error)
    this.#wakeConsumer()
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Block> {
    for (;;) {
      if (this.#failure !== undefined) throw this.#failure.error
      const block = this.#queue.shift()
      if (block !== undefined) {
        this.#waitingForRoom.shift()?.resolve()
        yield block
        continue
      }
      if (this.#closed) return
      await new Promise<void>((resolve) => {
        this.#waitingForBlock = resolve
      })
    }
  }

  #wakeConsumer(): void {
    const wake = this.#waitingForBlock
    this.#waitingForBlock = undefined
    wake?.()
  }
}
