import { describe, expect, it } from 'vitest'
import { periodicTask } from './lifecycle.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits (up to 5 s, timers run late on a loaded machine) until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 5) {
    if (waited > 5000) throw new Error('timed out')
    await sleep(5)
  }
}

describe('periodicTask', () => {
  it('runs every interval (and at start when asked), never two passes at once', async () => {
    let passes = 0
    let concurrent = 0
    let most = 0
    const errors: unknown[] = []
    const task = periodicTask({
      name: 'test',
      everyMs: 10,
      runAtStart: true,
      async run() {
        passes += 1
        concurrent += 1
        most = Math.max(most, concurrent)
        await sleep(35)
        concurrent -= 1
        if (passes === 2) throw new Error('second pass fails')
      },
      onError: (error) => errors.push(error),
    })
    await task.start()
    expect(passes).toBe(1)
    await until(() => passes >= 3)
    await task.stop()
    // stop() waited for the pass in progress; nothing runs after it.
    expect(concurrent).toBe(0)
    const stopped = passes
    await sleep(50)
    expect(passes).toBe(stopped)
    expect(most).toBe(1)
    expect(errors).toHaveLength(1)
  })

  it('waits a whole interval for the first pass by default', async () => {
    let passes = 0
    const task = periodicTask({
      name: 'test',
      everyMs: 40,
      run: async () => {
        passes += 1
      },
      onError: () => undefined,
    })
    await task.start()
    await sleep(15)
    expect(passes).toBe(0)
    await until(() => passes === 1)
    await task.stop()
  })
})
