import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { pinionTopology } from './pinion-topology.js'
import { defineTopology, subjectsOfStream, type StreamSpec } from './topology.js'

const queue: StreamSpec = {
  description: 'test',
  retention: 'workqueue',
  maxAgeMs: 60_000,
  duplicateWindowMs: 10_000,
}
const schema = z.object({ id: z.string() })
const consumer = { subject: 'app.jobs', ackWaitMs: 1000, maxDeliver: 3, backoffMs: [100] } as const

describe('defineTopology', () => {
  it("accepts Pinion's registry", () => {
    expect(Object.keys(pinionTopology.streams).sort()).toEqual([
      'GITHUB',
      'PINS',
      'PIN_STATUS',
      'TOKENS',
    ])
    expect(subjectsOfStream(pinionTopology, 'PINS')).toEqual([
      'pinion.pins.requested',
      'pinion.pins.removed',
    ])
    expect(subjectsOfStream(pinionTopology, 'PIN_STATUS')).toEqual(['pinion.pins.status'])
  })

  it('fans out with limits retention where several services read, work queues elsewhere', () => {
    expect(pinionTopology.streams.PIN_STATUS.retention).toBe('limits')
    expect(pinionTopology.streams.TOKENS.retention).toBe('limits')
    expect(pinionTopology.streams.PINS.retention).toBe('workqueue')
    expect(pinionTopology.streams.GITHUB.retention).toBe('workqueue')
  })

  it('returns a valid topology unchanged', () => {
    const topology = {
      streams: { JOBS: queue },
      subjects: { 'app.jobs': { stream: 'JOBS', schema } },
      consumers: { 'worker-jobs': consumer },
    } as const
    expect(defineTopology(topology)).toBe(topology)
  })

  it.each([
    ['a lower-case stream', { streams: { jobs: queue }, subjects: {}, consumers: {} }],
    [
      'a wildcard subject',
      {
        streams: { JOBS: queue },
        subjects: { 'app.>': { stream: 'JOBS', schema } },
        consumers: {},
      },
    ],
    [
      'a single-token subject',
      { streams: { JOBS: queue }, subjects: { jobs: { stream: 'JOBS', schema } }, consumers: {} },
    ],
    [
      'an upper-case subject',
      {
        streams: { JOBS: queue },
        subjects: { 'App.jobs': { stream: 'JOBS', schema } },
        consumers: {},
      },
    ],
    [
      'a subject of an unknown stream',
      {
        streams: { JOBS: queue },
        subjects: { 'app.jobs': { stream: 'NOPE', schema } },
        consumers: {},
      },
    ],
    [
      'a duplicate window longer than the max age',
      {
        streams: { JOBS: { ...queue, duplicateWindowMs: 120_000 } },
        subjects: {},
        consumers: {},
      },
    ],
    [
      'a zero max age',
      { streams: { JOBS: { ...queue, maxAgeMs: 0 } }, subjects: {}, consumers: {} },
    ],
    [
      'a consumer without a service prefix',
      {
        streams: { JOBS: queue },
        subjects: { 'app.jobs': { stream: 'JOBS', schema } },
        consumers: { worker: consumer },
      },
    ],
    [
      'a consumer of an unknown subject',
      {
        streams: { JOBS: queue },
        subjects: { 'app.jobs': { stream: 'JOBS', schema } },
        consumers: { 'worker-jobs': { ...consumer, subject: 'app.other' } },
      },
    ],
    [
      'an empty backoff',
      {
        streams: { JOBS: queue },
        subjects: { 'app.jobs': { stream: 'JOBS', schema } },
        consumers: { 'worker-jobs': { ...consumer, backoffMs: [] } },
      },
    ],
    [
      'maxDeliver 0',
      {
        streams: { JOBS: queue },
        subjects: { 'app.jobs': { stream: 'JOBS', schema } },
        consumers: { 'worker-jobs': { ...consumer, maxDeliver: 0 } },
      },
    ],
    [
      'two consumers of one work-queue subject',
      {
        streams: { JOBS: queue },
        subjects: { 'app.jobs': { stream: 'JOBS', schema } },
        consumers: { 'worker-jobs': consumer, 'audit-jobs': consumer },
      },
    ],
  ])('rejects %s', (_label, topology) => {
    // Casts: these topologies are wrong on purpose, some in ways the types already forbid.
    expect(() => defineTopology(topology as never)).toThrow(RangeError)
  })

  it('allows several consumers of a limits (fan-out) subject', () => {
    const topology = defineTopology({
      streams: { EVENTS: { ...queue, retention: 'limits' } },
      subjects: { 'app.events': { stream: 'EVENTS', schema } },
      consumers: {
        'mailer-events': { ...consumer, subject: 'app.events' },
        'audit-events': { ...consumer, subject: 'app.events' },
      },
    })
    expect(Object.keys(topology.consumers)).toHaveLength(2)
  })
})
