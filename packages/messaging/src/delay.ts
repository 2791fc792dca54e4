/** Resolves after `ms`, or as soon as `signal` aborts; never rejects. */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve()
      return
    }
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/**
 * Waits for `promise` to settle, at most `ms`; true when it settled in time. The timer is cleared
 * either way, so a quick promise does not hold the process open.
 */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timeout = new AbortController()
  const settled = promise.then(
    () => true,
    () => true,
  )
  try {
    return await Promise.race([settled, abortableDelay(ms, timeout.signal).then(() => false)])
  } finally {
    timeout.abort()
  }
}
