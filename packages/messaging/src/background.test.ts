import { describe, expect, it } from 'vitest'
import { createBackgroundTask, whenAborted } from './background.js'
import { abortableDelay, settlesWithin } from './delay.js'

describe('createBackgroundTask', () => {
  it('runs once however often it is started, and stops after interrupting', async () => {
    const events: string[] = []
    const task = createBackgroundTask(async (signal) => {
      events.push('run')
      await whenAborted(signal)
      events.push('aborted')
    })
    expect(await task.stop()).toBe(false)
    task.start()
    task.start()
    expect(task.running).toBe(true)
    expect(await task.stop(() => events.push('interrupt'))).toBe(true)
    // interrupt runs before stop() waits for the loop, so it can unblock a pending wait
    expect(events).toEqual(['run', 'interrupt', 'aborted'])
    expect(task.running).toBe(false)
    task.start()
    await task.stop()
    expect(events.filter((event) => event === 'run')).toHaveLength(2)
  })
})

describe('delays', () => {
  it('abortableDelay resolves early on abort and at once when already aborted', async () => {
    const controller = new AbortController()
    const started = Date.now()
    const waiting = abortableDelay(60_000, controller.signal)
    controller.abort()
    await waiting
    await abortableDelay(60_000, controller.signal)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('settlesWithin tells whether a promise settled in time, rejections included', async () => {
    expect(await settlesWithin(Promise.resolve(1), 50)).toBe(true)
    expect(await settlesWithin(Promise.reject(new Error('x')), 50)).toBe(true)
    expect(await settlesWithin(new Promise(() => {}), 20)).toBe(false)
  })
})
