import { createLogger } from '@pinion/service-kit'
import { describe, expect, it } from 'vitest'
import { createMemoryPinRecords } from '../testing/memory-pin-records.js'
import { sweep } from './sweep.js'

const cid = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'
const logger = createLogger({ service: 'test', level: 'silent' })
const init = { outboxGraceMs: 5000, stallMs: 60_000, batchSize: 100 }

function setup(options: { natsDown?: boolean } = {}) {
  let clock = Date.parse('2026-01-01T00:00:00Z')
  const memory = createMemoryPinRecords(() => clock)
  const sent: string[] = []
  const publish = (what: string) => async () => {
    if (options.natsDown) throw new Error('NATS is not connected')
    sent.push(what)
  }
  const components = {
    records: memory.records,
    logger,
    now: () => clock,
    publishRequest: async (pin: { id: string }, attempt: number) =>
      publish(`pin-${pin.id}-${attempt}`)(),
    publishRemoval: async (pin: { id: string }) => publish(`rm-${pin.id}`)(),
    publishStatus: async (pin: { id: string; status: string }) =>
      publish(`status-${pin.id}-${pin.status}`)(),
  }
  return {
    memory,
    sent,
    advance: (ms: number) => {
      clock += ms
    },
    run: () => sweep(components, init),
  }
}

describe('sweep', () => {
  it('publishes unacknowledged requests once they are past the grace period', async () => {
    const { memory, sent, advance, run } = setup()
    memory.add({ id: 'a', cid })
    expect((await run()).published).toBe(0)
    advance(6000)
    memory.add({ id: 'young', cid })
    expect((await run()).published).toBe(1)
    expect(sent).toEqual(['pin-a-1'])
    expect(memory.pins.get('a')).toMatchObject({ attempts: 1 })
    expect(memory.pins.get('a')?.publishedAt).not.toBeNull()
    expect((await run()).published).toBe(0)
  })

  it('publishes removals of deleted and replaced rows not yet acknowledged', async () => {
    const { memory, sent, advance, run } = setup()
    memory.add({ id: 'a', cid, deletedAt: new Date(0) })
    memory.add({ id: 'b', cid, deletedAt: new Date(0), replacedById: 'c' })
    memory.add({ id: 'done', cid, deletedAt: new Date(0), removalPublishedAt: new Date(0) })
    advance(6000)
    expect((await run()).removals).toBe(2)
    expect(sent.sort()).toEqual(['rm-a', 'rm-b'])
  })

  it('re-publishes stalled pins as the next attempt', async () => {
    const { memory, sent, advance, run } = setup()
    memory.add({ id: 'a', cid, status: 'pinning', attempts: 1, publishedAt: new Date(0) })
    advance(61_000)
    expect((await run()).retried).toBe(1)
    expect(sent).toEqual(['pin-a-2'])
    expect(memory.pins.get('a')?.attempts).toBe(2)
  })

  it('fails pins past their deadline and publishes the failure', async () => {
    const { memory, sent, advance, run } = setup()
    const deadlineAt = new Date(Date.parse('2026-01-01T00:00:01Z'))
    memory.add({ id: 'a', cid, deadlineAt, publishedAt: new Date(0) })
    memory.add({ id: 'final', cid, status: 'pinned', deadlineAt })
    advance(2000)
    expect((await run()).expired).toBe(1)
    expect(memory.pins.get('a')).toMatchObject({
      status: 'failed',
      info: { reason: 'deadline exceeded' },
    })
    expect(memory.pins.get('final')?.status).toBe('pinned')
    expect(sent).toEqual(['status-a-failed'])
  })

  it('with NATS down nothing is marked published; the rows wait for the next round', async () => {
    const { memory, advance, run } = setup({ natsDown: true })
    memory.add({ id: 'a', cid })
    advance(6000)
    expect((await run()).errors).toBe(1)
    expect(memory.pins.get('a')?.publishedAt).toBeNull()
  })
})
