import { describe, expect, it } from 'vitest'
import { pinionTopology } from './pinion-topology.js'
import { configDrift, consumerConfig, consumerStream, streamConfig } from './server-config.js'

describe('streamConfig', () => {
  it('namespaces the stream and its subjects, and converts ms to ns', () => {
    const config = streamConfig(pinionTopology, 'PINS', { namespace: 'tx1', replicas: 3 })
    expect(config).toMatchObject({
      name: 'TX1_PINS',
      subjects: ['tx1.pinion.pins.requested', 'tx1.pinion.pins.removed'],
      retention: 'workqueue',
      storage: 'file',
      discard: 'old',
      max_age: 7 * 24 * 3600 * 1e9,
      duplicate_window: 120 * 1e9,
      max_msg_size: -1,
      num_replicas: 3,
    })
  })

  it('uses limits retention for fan-out streams', () => {
    expect(streamConfig(pinionTopology, 'PIN_STATUS').retention).toBe('limits')
  })

  it('rejects an unknown stream', () => {
    expect(() => streamConfig(pinionTopology, 'NOPE')).toThrow(RangeError)
  })
})

describe('consumerConfig', () => {
  it('is a durable pull consumer with explicit ack on its namespaced subject', () => {
    const config = consumerConfig(pinionTopology, 'worker-pin-requests', { namespace: 'tx1' })
    expect(config).toEqual({
      durable_name: 'worker-pin-requests',
      filter_subject: 'tx1.pinion.pins.requested',
      ack_policy: 'explicit',
      ack_wait: 30e9,
      max_deliver: 8,
      max_ack_pending: 1000,
      deliver_policy: 'all',
      replay_policy: 'instant',
    })
    expect(config).not.toHaveProperty('deliver_subject')
  })

  it('finds the stream of a consumer', () => {
    expect(consumerStream(pinionTopology, 'github-bot-pin-status', { namespace: 'tx1' })).toBe(
      'TX1_PIN_STATUS',
    )
    expect(() => consumerStream(pinionTopology, 'nobody-nothing')).toThrow(RangeError)
  })
})

describe('configDrift', () => {
  it('is empty when the server has what we want, extra server fields ignored', () => {
    expect(
      configDrift({ a: 1, subjects: ['x', 'y'] }, { a: 1, subjects: ['y', 'x'], b: 2 }),
    ).toEqual([])
  })

  it('names the fields that differ', () => {
    expect(
      configDrift({ a: 1, subjects: ['x', 'y'], c: 'z' }, { a: 2, subjects: ['x'], c: 'z' }),
    ).toEqual(['a', 'subjects'])
    expect(configDrift({ subjects: ['x'] }, {})).toEqual(['subjects'])
  })
})
