import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import {
  defineTopology,
  ensureTopology,
  pinionTopology,
  PinStatusChangedSchema,
} from '@pinion/messaging'
import { cleanupNamespace, natsUrl, uniqueNamespace } from '@pinion/testing'
import { afterEach, describe, expect, it } from 'vitest'

describe('ensureTopology', () => {
  const namespace = uniqueNamespace()
  const connections: { close(): Promise<void> }[] = []
  const open = async () => {
    const nc = await connect({ servers: natsUrl() })
    connections.push(nc)
    return jetstreamManager(nc)
  }
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((nc) => nc.close()))
    await cleanupNamespace(natsUrl(), namespace)
  })

  it('creates every stream and consumer, then finds nothing to change', async () => {
    const jsm = await open()
    const first = await ensureTopology(jsm, pinionTopology, { namespace })
    const prefix = namespace.toUpperCase()
    expect(first.streams).toEqual({
      [`${prefix}_PINS`]: 'created',
      [`${prefix}_PIN_STATUS`]: 'created',
      [`${prefix}_GITHUB`]: 'created',
      [`${prefix}_TOKENS`]: 'created',
    })
    expect(Object.values(first.consumers)).toEqual(Array(4).fill('created'))

    const second = await ensureTopology(jsm, pinionTopology, { namespace })
    expect(new Set(Object.values(second.streams))).toEqual(new Set(['unchanged']))
    expect(new Set(Object.values(second.consumers))).toEqual(new Set(['unchanged']))

    const pins = await jsm.streams.info(`${prefix}_PINS`)
    expect(pins.config).toMatchObject({
      retention: 'workqueue',
      subjects: [`${namespace}.pinion.pins.requested`, `${namespace}.pinion.pins.removed`],
      duplicate_window: 120e9,
    })
    const status = await jsm.streams.info(`${prefix}_PIN_STATUS`)
    expect(status.config.retention).toBe('limits')
    const worker = await jsm.consumers.info(`${prefix}_PINS`, 'worker-pin-requests')
    expect(worker.config).toMatchObject({
      durable_name: 'worker-pin-requests',
      ack_policy: 'explicit',
      filter_subject: `${namespace}.pinion.pins.requested`,
      max_deliver: 8,
    })
    expect(worker.config.deliver_subject).toBeUndefined()
  })

  it('is harmless when several services run it at once', async () => {
    const managers = await Promise.all([open(), open(), open()])
    const reports = await Promise.all(
      managers.map((jsm) => ensureTopology(jsm, pinionTopology, { namespace })),
    )
    for (const report of reports) expect(Object.keys(report.consumers)).toHaveLength(4)
    const names: string[] = []
    for await (const name of managers[0]!.streams.names()) {
      if (name.startsWith(`${namespace.toUpperCase()}_`)) names.push(name)
    }
    expect(names.sort()).toEqual(
      ['GITHUB', 'PINS', 'PIN_STATUS', 'TOKENS'].map((s) => `${namespace.toUpperCase()}_${s}`),
    )
  })

  it('adds a new subject to its stream and updates a changed consumer in place', async () => {
    const jsm = await open()
    await ensureTopology(jsm, pinionTopology, { namespace })
    const grown = defineTopology({
      streams: pinionTopology.streams,
      subjects: {
        ...pinionTopology.subjects,
        'pinion.pins.audit': { stream: 'PIN_STATUS', schema: PinStatusChangedSchema },
      },
      consumers: {
        ...pinionTopology.consumers,
        'github-bot-pin-status': {
          ...pinionTopology.consumers['github-bot-pin-status'],
          maxDeliver: 9,
        },
      },
    })
    const report = await ensureTopology(jsm, grown, { namespace })
    const prefix = namespace.toUpperCase()
    expect(report.streams[`${prefix}_PIN_STATUS`]).toBe('updated')
    expect(report.streams[`${prefix}_PINS`]).toBe('unchanged')
    expect(report.consumers[`${prefix}_PIN_STATUS/github-bot-pin-status`]).toBe('updated')
    const status = await jsm.streams.info(`${prefix}_PIN_STATUS`)
    expect(status.config.subjects).toEqual([
      `${namespace}.pinion.pins.status`,
      `${namespace}.pinion.pins.audit`,
    ])
    const consumer = await jsm.consumers.info(`${prefix}_PIN_STATUS`, 'github-bot-pin-status')
    expect(consumer.config.max_deliver).toBe(9)
  })
})
