/**
 * A readers-writer lock for one process: pins and imports share it, GC takes it alone, so a
 * sweep never removes a block that a pin is about to record. Writers are not starved: once one
 * waits, new readers queue behind it.
 */
export class RwLock {
  #readers = 0
  #writer = false
  #queue: { exclusive: boolean; grant: () => void }[] = []

  /** Runs `task` while holding the lock shared. */
  async shared<T>(task: () => Promise<T>): Promise<T> {
    await this.#acquire(false)
    try {
      return await task()
    } finally {
      this.#readers -= 1
      this.#next()
    }
  }

  /** Runs `task` while holding the lock alone. */
  async exclusive<T>(task: () => Promise<T>): Promise<T> {
    await this.#acquire(true)
    try {
      return await task()
    } finally {
      this.#writer = false
      this.#next()
    }
  }

  #acquire(exclusive: boolean): Promise<void> {
    const free = exclusive ? !this.#writer && this.#readers === 0 : !this.#writer
    if (free && this.#queue.length === 0) {
      if (exclusive) this.#writer = true
      else this.#readers += 1
      return Promise.resolve()
    }
    return new Promise((resolve) => this.#queue.push({ exclusive, grant: resolve }))
  }

  #next(): void {
    while (this.#queue.length > 0 && !this.#writer) {
      const head = this.#queue[0]
      if (head === undefined) return
      if (head.exclusive) {
        if (this.#readers > 0) return
        this.#writer = true
      } else {
        this.#readers += 1
      }
      this.#queue.shift()
      head.grant()
    }
  }
}
