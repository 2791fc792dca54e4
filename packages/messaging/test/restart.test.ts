import { jetstreamManager } from '@nats-io/jetstream'
import {
  createMessaging,
  createNatsConnection,
  MessagingUnavailableError,
  type HandlerContext,
} from '@pinion/messaging'
import { startNatsServer, type NatsServerHandle } from '@pinion/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { createBus, eventually, testLogger, type Bus } from './fixtures/harness.js'
import { testTopology, type Job } from './fixtures/test-topology.js'

const ready = (check: { check(signal: AbortSignal): Promise<void> }) =>
  check.check(AbortSignal.timeout(1000)).then(
    () => true,
    () => false,
  )

describe('NATS outages (private server)', () => {
  let server: NatsServerHandle | undefined
  let bus: Bus | undefined
  afterEach(async () => {
    await bus?.close()
    await server?.stop()
    bus = undefined
    server = undefined
  })

  it('keeps consuming across a server restart, without restarting the loop', async () => {
    server = await startNatsServer({ jetstream: true })
    bus = await createBus({ url: server.url, cleanup: false })
    const seen: string[] = []
    const heard: string[] = []
    const loop = await bus.track(
      bus.messaging.consume({
        consumer: 'worker-jobs',
        handler: (job: Job) => void seen.push(job.id),
      }),
    )
    await bus.track(
      bus.messaging.listen({
        subject: 'test.events',
        handler: (job: Job) => void heard.push(job.id),
      }),
    )
    await bus.messaging.publish('test.jobs', { id: 'before' }, { msgId: 'before' })
    await eventually(() => seen.length === 1, 5000, 'first message')
    await eventually(
      async () => {
        await bus!.messaging.publish('test.events', { id: 'before' }, { msgId: 'event-before' })
        return heard.length === 1
      },
      5000,
      'listener ready',
    )

    await server.kill()
    await eventually(() => !bus!.connection.isConnected(), 5000, 'disconnect noticed')
    await expect(
      bus.messaging.publish('test.jobs', { id: 'during' }, { msgId: 'during' }),
    ).rejects.toBeInstanceOf(MessagingUnavailableError)
    expect(await ready(bus.messaging.healthCheck)).toBe(false)

    await server.restart()
    await eventually(() => ready(bus!.messaging.healthCheck), 15_000, 'ready again')
    await bus.messaging.publish('test.jobs', { id: 'after' }, { msgId: 'after' })
    await bus.messaging.publish('test.events', { id: 'after' }, { msgId: 'event-after' })
    await eventually(() => seen.length === 2, 15_000, 'message after restart')
    await eventually(() => heard.length === 2, 15_000, 'event after restart')
    expect(seen).toEqual(['before', 'after'])
    expect(heard).toEqual(['before', 'after'])
    expect(loop.inFlight()).toBe(0)
  })

  it('keeps a listener started with `since` following across a server restart', async () => {
    server = await startNatsServer({ jetstream: true })
    bus = await createBus({ url: server.url, cleanup: false })
    const since = new Date(Date.now() - 1000)
    await bus.messaging.publish('test.events', { id: 'stored' }, { msgId: 'since-stored' })
    const heard: string[] = []
    await bus.track(
      bus.messaging.listen({
        subject: 'test.events',
        since,
        handler: (job: Job) => void heard.push(job.id),
      }),
    )
    await eventually(() => heard.length === 1, 5000, 'replayed since')
    await bus.messaging.publish('test.events', { id: 'live' }, { msgId: 'since-live' })
    await eventually(() => heard.length === 2, 5000, 'live before the restart')

    await server.kill()
    await eventually(() => !bus!.connection.isConnected(), 5000, 'disconnect noticed')
    await server.restart()
    await eventually(() => ready(bus!.messaging.healthCheck), 15_000, 'ready again')
    await bus.messaging.publish('test.events', { id: 'after' }, { msgId: 'since-after' })
    await eventually(() => heard.length === 3, 15_000, 'event after restart')
    // Nothing replayed twice, nothing lost.
    expect(heard).toEqual(['stored', 'live', 'after'])
  })

  it('starts without a server, stays unready, then connects, provisions and consumes', async () => {
    server = await startNatsServer({ jetstream: true })
    await server.kill()
    const logger = testLogger()
    const connection = createNatsConnection({
      servers: server.url,
      name: 'late-server',
      logger,
      maxConnectBackoffMs: 300,
    })
    const messaging = createMessaging({
      connection,
      topology: testTopology,
      namespace: 'late',
      logger,
    })
    const seen: number[] = []
    const loop = messaging.consume({
      consumer: 'worker-jobs',
      handler: (_job: Job, context: HandlerContext) => void seen.push(context.deliveryCount),
    })
    const started = Date.now()
    await connection.start()
    await messaging.start()
    await loop.start()
    // Nothing above waited for the server.
    expect(Date.now() - started).toBeLessThan(1000)
    expect(connection.isConnected()).toBe(false)
    expect(await ready(messaging.healthCheck)).toBe(false)

    await server.restart()
    try {
      await eventually(() => ready(messaging.healthCheck), 10_000, 'connected and provisioned')
      await messaging.publish('test.jobs', { id: 'late' }, { msgId: 'late' })
      await eventually(() => seen.length === 1, 10_000, 'consumed')
      expect(seen).toEqual([1])
    } finally {
      await loop.stop()
      await messaging.stop()
      await connection.stop()
    }
    expect(connection.isConnected()).toBe(false)
  })

  it('provisions again after a server comes back without its state', async () => {
    server = await startNatsServer({ jetstream: true })
    bus = await createBus({ url: server.url, cleanup: false })
    const seen: string[] = []
    await bus.track(
      bus.messaging.consume({
        consumer: 'worker-jobs',
        handler: (job: Job) => void seen.push(job.id),
      }),
    )
    // A server that lost its state: delete every stream (and so the consumer) while connected,
    // then restart it. The reconnect must provision again and the loop find the new consumer.
    const jsm = await jetstreamManager(bus.connection.connection())
    for await (const name of jsm.streams.names()) await jsm.streams.delete(name)
    await server.restart()
    await eventually(() => ready(bus!.messaging.healthCheck), 15_000, 'provisioned again')
    await bus.messaging.publish('test.jobs', { id: 'fresh' }, { msgId: 'fresh' })
    await eventually(() => seen.length === 1, 15_000, 'consumed after re-provisioning')
  })
})
