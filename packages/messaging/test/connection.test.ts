import { connect } from '@nats-io/transport-node'
import { createNatsConnection, MessagingUnavailableError } from '@pinion/messaging'
import { natsUrl } from '@pinion/testing'
import { describe, expect, it } from 'vitest'
import { eventually, testLogger } from './fixtures/harness.js'

describe('createNatsConnection', () => {
  it('connects in the background, answers the health check and tells listeners', async () => {
    const connection = createNatsConnection({
      servers: natsUrl(),
      name: 'conn-test',
      logger: testLogger(),
    })
    const connects: number[] = []
    const removed: number[] = []
    connection.onConnect(() => connects.push(1))
    const remove = connection.onConnect(() => removed.push(1))
    remove()
    expect(() => connection.connection()).toThrow(MessagingUnavailableError)
    await connection.start()
    await connection.start() // a second start is a no-op, not a second connection
    try {
      await eventually(() => connection.isConnected(), 5000, 'connected')
      await connection.healthCheck.check(AbortSignal.timeout(2000))
      await eventually(() => connects.length === 1, 1000, 'onConnect')
      expect(removed).toEqual([])
      expect(connection.connection().getServer()).toContain('4222')
      await expect(connection.jetstreamManager()).resolves.toBe(await connection.jetstreamManager())
    } finally {
      await connection.stop()
    }
    expect(connection.isConnected()).toBe(false)
    expect(() => connection.jetstream()).toThrow(MessagingUnavailableError)
    await expect(connection.healthCheck.check(AbortSignal.timeout(500))).rejects.toBeInstanceOf(
      MessagingUnavailableError,
    )
    await connection.stop() // idempotent
  })

  it('stop() delivers what was published just before it (acks and publishes are not lost)', async () => {
    const url = natsUrl()
    const subscriber = await connect({ servers: url })
    const publisher = createNatsConnection({
      servers: url,
      name: 'conn-drain',
      logger: testLogger(),
    })
    await publisher.start()
    await eventually(() => publisher.isConnected(), 5000, 'connected')
    const subject = `pinion.test.drain.${process.pid}.${Date.now()}`
    const subscription = subscriber.subscribe(subject, { max: 500 })
    await subscriber.flush()
    let received = 0
    const done = (async () => {
      for await (const _message of subscription) received += 1
    })()
    // Fire-and-forget, like msg.ack(): nothing awaits these before stop().
    for (let i = 0; i < 500; i += 1) publisher.connection().publish(subject, String(i))
    await publisher.stop()
    await done
    expect(received).toBe(500)
    await subscriber.close()
  })
})
