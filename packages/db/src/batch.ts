/**
 * Group commit: many small writes become one statement. Callers add items and wait for their own
 * result; while a flush is in flight, new items queue, and the next flush takes all of them. An
 * idle batcher flushes at the end of the current tick, so a lone request waits for nothing, and a
 * busy one spends one round trip and one commit on as many requests as arrived meanwhile.
 */
export interface Batcher<T, R = void> {
  /** Resolves with the item's result once its flush is done; rejects if that flush failed. */
  add(item: T): Promise<R>
}

export interface BatcherOptions {
  /** Most items in one flush (default 500). */
  maxSize?: number
  /** Flushes running at once (default 1: the next batch forms while one is in flight). */
  maxInFlight?: number
}

interface Waiter<T, R> {
  readonly item: T
  resolve(result: R): void
  reject(error: unknown): void
}

/**
 * @param flush writes `items` together and returns one result per item, in order (or nothing,
 *   for `R = void`); a throw fails every item of that flush.
 */
export function createBatcher<T, R = void>(
  flush: (items: T[]) => Promise<R[] | void>,
  options: BatcherOptions = {},
): Batcher<T, R> {
  const maxSize = options.maxSize ?? 500
  const maxInFlight = options.maxInFlight ?? 1
  const queue: Waiter<T, R>[] = []
  let inFlight = 0
  let scheduled = false

  async function run(batch: Waiter<T, R>[]): Promise<void> {
    try {
      const results = await flush(batch.map((waiter) => waiter.item))
      batch.forEach((waiter, index) => waiter.resolve((results ?? [])[index] as R))
    } catch (error) {
      for (const waiter of batch) waiter.reject(error)
    }
  }

  function drain(): void {
    scheduled = false
    while (queue.length > 0 && inFlight < maxInFlight) {
      const batch = queue.splice(0, maxSize)
      inFlight += 1
      void run(batch).finally(() => {
        inFlight -= 1
        drain()
      })
    }
  }

  return {
    add(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject })
        if (!scheduled && inFlight < maxInFlight) {
          // Items added in the same tick (a burst of requests parsed together) share a flush.
          scheduled = true
          setImmediate(drain)
        }
      })
    },
  }
}
