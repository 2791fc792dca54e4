import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { startAll, startable, stopAll } from './lifecycle.js'

const logger = pino({ level: 'silent' })

describe('startAll / stopAll', () => {
  it('starts in order and stops in reverse', async () => {
    const events: string[] = []
    const items = ['db', 'nats', 'consumer'].map((name) =>
      startable(
        name,
        () => void events.push(`start ${name}`),
        () => void events.push(`stop ${name}`),
      ),
    )
    await startAll(items, logger)
    await stopAll(items, logger)
    expect(events).toEqual([
      'start db',
      'start nats',
      'start consumer',
      'stop consumer',
      'stop nats',
      'stop db',
    ])
  })

  it('stops what already started when a later start fails', async () => {
    const events: string[] = []
    const items = [
      startable(
        'db',
        () => void events.push('start db'),
        () => void events.push('stop db'),
      ),
      startable(
        'broken',
        () => {
          throw new Error('boom')
        },
        () => void events.push('stop broken'),
      ),
    ]
    await expect(startAll(items, logger)).rejects.toThrow('boom')
    expect(events).toEqual(['start db', 'stop db'])
  })

  it('keeps stopping the rest when one stop fails', async () => {
    const events: string[] = []
    const items = [
      startable(
        'db',
        () => {},
        () => void events.push('stop db'),
      ),
      startable(
        'nats',
        () => {},
        () => {
          throw new Error('drain failed')
        },
      ),
    ]
    await stopAll(items, logger)
    expect(events).toEqual(['stop db'])
  })
})
