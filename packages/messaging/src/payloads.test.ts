import { describe, expect, it } from 'vitest'
import { pinionTopology } from './pinion-topology.js'
import { PinRequestedSchema, PinStatusChangedSchema } from './payloads.js'

const cid = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'
const at = '2025-01-02T03:04:05.000Z'

describe('payload schemas', () => {
  it('fills defaults for a pin request', () => {
    const parsed = PinRequestedSchema.parse({ requestId: 'r1', userId: 'u1', cid, requestedAt: at })
    expect(parsed).toEqual({
      requestId: 'r1',
      userId: 'u1',
      cid,
      requestedAt: at,
      origins: [],
      attempt: 1,
    })
  })

  it.each([
    ['a missing cid', { requestId: 'r1', userId: 'u1', requestedAt: at }],
    ['a cid with a path', { requestId: 'r1', userId: 'u1', cid: `${cid}/x`, requestedAt: at }],
    ['a bad timestamp', { requestId: 'r1', userId: 'u1', cid, requestedAt: 'yesterday' }],
    ['attempt 0', { requestId: 'r1', userId: 'u1', cid, requestedAt: at, attempt: 0 }],
    ['an empty request id', { requestId: '', userId: 'u1', cid, requestedAt: at }],
  ])('rejects a pin request with %s', (_label, payload) => {
    expect(PinRequestedSchema.safeParse(payload).success).toBe(false)
  })

  it('accepts only Pinning API statuses', () => {
    const base = { requestId: 'r1', userId: 'u1', cid, at }
    expect(
      PinStatusChangedSchema.safeParse({ ...base, status: 'pinned', dagSize: 42 }).success,
    ).toBe(true)
    expect(PinStatusChangedSchema.safeParse({ ...base, status: 'done' }).success).toBe(false)
    expect(
      PinStatusChangedSchema.safeParse({ ...base, status: 'pinned', dagSize: -1 }).success,
    ).toBe(false)
  })

  it('parses its own output to the same value (publish sends the output, consume parses it)', () => {
    const samples: Record<string, unknown> = {
      'pinion.pins.requested': { requestId: 'r', userId: 'u', cid, requestedAt: at },
      'pinion.pins.removed': { requestId: 'r', userId: 'u', cidKey: 'k', removedAt: at },
      'pinion.pins.status': {
        requestId: 'r',
        userId: 'u',
        cid,
        status: 'failed',
        info: { reason: 'x' },
        at,
      },
      'pinion.github.deliveries': {
        deliveryId: 'd',
        event: 'release',
        action: 'published',
        installationId: 7,
        webhookEventId: 'w',
        receivedAt: at,
      },
      'pinion.tokens.revoked': { tokenId: 't', at },
    }
    expect(Object.keys(samples).sort()).toEqual(Object.keys(pinionTopology.subjects).sort())
    for (const [subject, sample] of Object.entries(samples)) {
      const schema = pinionTopology.subjects[subject as keyof typeof pinionTopology.subjects].schema
      const once = schema.parse(sample)
      expect(schema.parse(JSON.parse(JSON.stringify(once)))).toEqual(once)
    }
  })
})
