import {
  createMessaging,
  createNatsConnection,
  InvalidMessageError,
  MessagingUnavailableError,
  pinionTopology,
  type PinionTopology,
} from '@pinion/messaging'
import { ServiceUnavailableError } from '@pinion/service-kit'
import { startNatsServer, uniqueNamespace } from '@pinion/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBus, testLogger, type Bus } from './fixtures/harness.js'
import { storedMessages } from './fixtures/server-state.js'

const request = {
  requestId: 'req-1',
  userId: 'user-1',
  cid: 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
  requestedAt: '2025-01-02T03:04:05.000Z',
}

describe('publish', () => {
  let bus: Bus<PinionTopology>
  beforeAll(async () => {
    bus = await createBus({ topology: pinionTopology })
  })
  afterAll(() => bus.close())

  it('rejects a payload that fails its schema and sends nothing', async () => {
    const before = await storedMessages(bus, 'PINS')
    const bad = { ...request, cid: 'not a cid!' }
    await expect(
      bus.messaging.publish('pinion.pins.requested', bad, { msgId: 'bad-1' }),
    ).rejects.toBeInstanceOf(InvalidMessageError)
    await expect(
      // @ts-expect-error a missing field is a type error too; the runtime check must hold anyway
      bus.messaging.publish('pinion.pins.requested', { requestId: 'x' }, { msgId: 'bad-2' }),
    ).rejects.toThrow(/pinion\.pins\.requested: userId/)
    await expect(
      bus.messaging.publish('pinion.pins.requested', request, { msgId: 'has space' }),
    ).rejects.toBeInstanceOf(InvalidMessageError)
    expect(await storedMessages(bus, 'PINS')).toBe(before)
  })

  it('stores a message once per msg id within the duplicate window', async () => {
    const before = await storedMessages(bus, 'PINS')
    const first = await bus.messaging.publish('pinion.pins.requested', request, {
      msgId: 'pin:req-1:1',
    })
    expect(first.duplicate).toBe(false)
    expect(first.stream).toBe(`${bus.namespace.toUpperCase()}_PINS`)
    const again = await bus.messaging.publish('pinion.pins.requested', request, {
      msgId: 'pin:req-1:1',
    })
    expect(again).toEqual({ ...first, duplicate: true })
    expect(await storedMessages(bus, 'PINS')).toBe(before + 1)

    const next = await bus.messaging.publish(
      'pinion.pins.requested',
      { ...request, attempt: 2 },
      { msgId: 'pin:req-1:2' },
    )
    expect(next.duplicate).toBe(false)
    expect(next.seq).toBe(first.seq + 1)
    expect(await storedMessages(bus, 'PINS')).toBe(before + 2)
  })

  it('fails fast with MessagingUnavailableError while NATS is unreachable', async () => {
    const server = await startNatsServer({ jetstream: true })
    await server.kill()
    const connection = createNatsConnection({
      servers: server.url,
      name: 'publish-test',
      logger: testLogger(),
    })
    const started = Date.now()
    await connection.start()
    const messaging = createMessaging({
      connection,
      topology: pinionTopology,
      logger: testLogger(),
    })
    const failure = messaging.publish('pinion.pins.requested', request, { msgId: 'pin:x' })
    await expect(failure).rejects.toBeInstanceOf(MessagingUnavailableError)
    await expect(failure).rejects.toBeInstanceOf(ServiceUnavailableError)
    // start() returned at once and publish did not wait for a connection or an ack timeout.
    expect(Date.now() - started).toBeLessThan(1000)
    expect(connection.isConnected()).toBe(false)
    await expect(connection.healthCheck.check(AbortSignal.timeout(500))).rejects.toBeInstanceOf(
      MessagingUnavailableError,
    )
    await connection.stop()
    await server.stop()
  })

  it('fails with MessagingUnavailableError when the stream is not provisioned', async () => {
    const connection = createNatsConnection({
      servers: bus.url,
      name: 'publish-test',
      logger: testLogger(),
    })
    await connection.start()
    // provision: false and a namespace nobody provisioned: no stream captures the subject.
    const messaging = createMessaging({
      connection,
      topology: pinionTopology,
      namespace: uniqueNamespace(),
      provision: false,
      logger: testLogger(),
      publishTimeoutMs: 1000,
    })
    try {
      await expect.poll(() => connection.isConnected()).toBe(true)
      await expect(
        messaging.publish('pinion.pins.requested', request, { msgId: 'pin:y' }),
      ).rejects.toBeInstanceOf(MessagingUnavailableError)
    } finally {
      await connection.stop()
    }
  })
})
