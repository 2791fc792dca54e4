/**
 * Coalesces many small writes into one statement: callers add keys and wait; the keys added
 * within `delayMs` of the first are flushed together. The outbox marks rows published this way,
 * so a busy API spends one UPDATE per batch instead of one per pin.
 */
export interface Batcher<K> {
  /** Resolves once the batch holding `key` has been flushed (rejects if that flush failed). */
  add(key: K): Promise<void>
}

export function createBatcher<K>(
  flush: (keys: K[]) => Promise<void>,
  options: { delayMs?: number; maxSize?: number } = {},
): Batcher<K> {
  const delayMs = options.delayMs ?? 2
  const maxSize = options.maxSize ?? 500
  let pending: { keys: K[]; done: Promise<void>; timer: NodeJS.Timeout } | undefined

  const start = (): NonNullable<typeof pending> => {
    const batch = { keys: [] as K[] } as NonNullable<typeof pending>
    let release!: () => void
    const ready = new Promise<void>((resolve) => (release = resolve))
    batch.done = ready.then(() => flush(batch.keys))
    batch.timer = setTimeout(() => {
      if (pending === batch) pending = undefined
      release()
    }, delayMs)
    batch.timer.unref()
    // Keep the flush itself referenced: a batch in flight must finish before the process exits.
    ;(batch as { release?: () => void }).release = release
    return batch
  }

  return {
    add(key) {
      pending ??= start()
      const batch = pending
      batch.keys.push(key)
      if (batch.keys.length >= maxSize) {
        clearTimeout(batch.timer)
        pending = undefined
        ;(batch as { release?: () => void }).release?.()
      }
      return batch.done
    },
  }
}
