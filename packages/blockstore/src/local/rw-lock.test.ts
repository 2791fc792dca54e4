import { describe, expect, it } from 'vitest'
import { RwLock } from './rw-lock.js'

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

describe('RwLock', () => {
  it('runs shared holders together and an exclusive one alone, without starving it', async () => {
    const lock = new RwLock()
    const events: string[] = []
    const firstReader = deferred()
    const r1 = lock.shared(async () => {
      events.push('r1 start')
      await firstReader.promise
      events.push('r1 end')
    })
    const r2 = lock.shared(async () => {
      events.push('r2')
    })
    const w = lock.exclusive(async () => {
      events.push('w')
    })
    // Queued behind the waiting writer, not alongside the running reader.
    const r3 = lock.shared(async () => {
      events.push('r3')
    })
    await Promise.resolve()
    await Promise.resolve()
    expect(events).toEqual(['r1 start', 'r2'])
    firstReader.resolve()
    await Promise.all([r1, r2, w, r3])
    expect(events).toEqual(['r1 start', 'r2', 'r1 end', 'w', 'r3'])
  })

  it('releases the lock when a holder throws', async () => {
    const lock = new RwLock()
    await expect(lock.exclusive(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    await expect(lock.shared(async () => 'ok')).resolves.toBe('ok')
  })
})
