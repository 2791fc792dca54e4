/**
 * A background loop that can be started and stopped again: the shape shared by the connection's
 * connect loop, consume loops and listeners.
 */
export interface BackgroundTask {
  /** True between start() and the end of stop(). */
  readonly running: boolean
  /** Runs `run(signal)` in the background unless it already runs. */
  start(): void
  /**
   * Aborts the signal, calls `interrupt` (to unblock waits the signal cannot reach, e.g. a
   * pending pull), and resolves once `run` has returned. False if it was not running.
   */
  stop(interrupt?: () => unknown): Promise<boolean>
}

/** Wraps `run`, which must return soon after its signal aborts and must not reject. */
export function createBackgroundTask(run: (signal: AbortSignal) => Promise<void>): BackgroundTask {
  let current: { controller: AbortController; done: Promise<void> } | undefined
  return {
    get running() {
      return current !== undefined
    },
    start() {
      if (current) return
      const controller = new AbortController()
      current = { controller, done: run(controller.signal) }
    },
    async stop(interrupt) {
      if (!current) return false
      const { controller, done } = current
      controller.abort()
      await interrupt?.()
      await done
      current = undefined
      return true
    },
  }
}

/** A promise that resolves when `signal` aborts (at once if it already has). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), { once: true })
  })
}
