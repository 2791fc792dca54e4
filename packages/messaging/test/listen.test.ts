import { connect } from '@nats-io/transport-node'
import { subjectName, type ListenContext } from '@pinion/messaging'
import { afterEach, describe, expect, it } from 'vitest'
import { createBus, eventually, type Bus } from './fixtures/harness.js'
import { consumerCount } from './fixtures/server-state.js'
import type { Job } from './fixtures/test-topology.js'

describe('listen (per-instance fan-out)', () => {
  let bus: Bus
  afterEach(() => bus?.close())

  const publishEvents = async (ids: string[]) => {
    for (const id of ids)
      await bus.messaging.publish('test.events', { id }, { msgId: `event-${id}` })
  }

  it('gives every listening instance every message, in order, beside a durable consumer', async () => {
    bus = await createBus()
    const instanceA: string[] = []
    const instanceB: string[] = []
    const durable: string[] = []
    await bus.track(
      bus.messaging.listen({
        subject: 'test.events',
        handler: (job: Job) => void instanceA.push(job.id),
      }),
    )
    await bus.track(
      bus.messaging.listen({
        subject: 'test.events',
        handler: (job: Job) => void instanceB.push(job.id),
      }),
    )
    await bus.track(
      bus.messaging.consume({
        consumer: 'audit-events',
        handler: (job: Job) => void durable.push(job.id),
      }),
    )
    // Listeners start at "new messages": publish once their consumers (and the durable) exist.
    await eventually(async () => (await consumerCount(bus, 'EVENTS')) === 3, 5000, 'listeners')
    await publishEvents(['1', '2', '3'])
    await eventually(
      () => instanceA.length === 3 && instanceB.length === 3 && durable.length === 3,
      5000,
      'fan-out',
    )
    expect(instanceA).toEqual(['1', '2', '3'])
    expect(instanceB).toEqual(['1', '2', '3'])
    expect(durable).toEqual(['1', '2', '3'])
  })

  it('replays stored messages with `since`, and only new ones without it', async () => {
    bus = await createBus()
    const before = new Date(Date.now() - 1000)
    await publishEvents(['old'])
    const replayed: string[] = []
    const fresh: { id: string; context: ListenContext }[] = []
    await bus.track(
      bus.messaging.listen({
        subject: 'test.events',
        since: before,
        handler: (job: Job) => void replayed.push(job.id),
      }),
    )
    await bus.track(
      bus.messaging.listen({
        subject: 'test.events',
        handler: (job: Job, context) => void fresh.push({ id: job.id, context }),
      }),
    )
    // The durable `audit-events` consumer is the third.
    await eventually(async () => (await consumerCount(bus, 'EVENTS')) === 3, 5000, 'listeners')
    await publishEvents(['new'])
    await eventually(() => replayed.length === 2 && fresh.length === 1, 5000, 'listeners')
    expect(replayed).toEqual(['old', 'new'])
    expect(fresh[0]).toMatchObject({
      id: 'new',
      context: { subject: 'test.events', streamSequence: 2 },
    })
    expect(fresh[0]!.context.publishedAt).toBeInstanceOf(Date)
  })

  it('with `since` after everything stored, starts at the next message', async () => {
    bus = await createBus()
    await publishEvents(['old'])
    await new Promise((resolve) => setTimeout(resolve, 20))
    const heard: string[] = []
    await bus.track(
      bus.messaging.listen({
        subject: 'test.events',
        since: new Date(),
        handler: (job: Job) => void heard.push(job.id),
      }),
    )
    await publishEvents(['new'])
    await eventually(() => heard.length === 1, 5000, 'the message after since')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(heard).toEqual(['new'])
  })

  it('skips invalid messages and handler failures without stopping', async () => {
    bus = await createBus()
    const seen: string[] = []
    await bus.track(
      bus.messaging.listen({
        subject: 'test.events',
        handler: (job: Job) => {
          seen.push(job.id)
          if (job.id === 'boom') throw new Error('listener bug')
        },
      }),
    )
    await eventually(async () => (await consumerCount(bus, 'EVENTS')) === 2, 5000, 'listener')
    const raw = await connect({ servers: bus.url })
    await raw.request(subjectName('test.events', bus.namespace), '{"nope": true}')
    await raw.close()
    await publishEvents(['boom', 'fine'])
    await eventually(() => seen.length === 2, 5000, 'both valid messages')
    expect(seen).toEqual(['boom', 'fine'])
  })
})
