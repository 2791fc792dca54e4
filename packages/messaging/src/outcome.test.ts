import { BadRequestError, NotFoundError, ServiceUnavailableError } from '@pinion/service-kit'
import { describe, expect, it } from 'vitest'
import { decideOutcome, isPermanentError, retryLater } from './outcome.js'

const policy = { maxDeliver: 3, backoffMs: [100, 2000] }
const failed = (error: unknown, stopping = false) => ({ ok: false as const, error, stopping })

describe('decideOutcome', () => {
  it('acks a handler that returned', () => {
    expect(decideOutcome({ ok: true, value: undefined }, { ...policy, deliveryCount: 1 })).toEqual({
      kind: 'ack',
    })
  })

  it('naks a transient error with the backoff delay of this delivery', () => {
    const error = new Error('kubo timed out')
    expect(decideOutcome(failed(error), { ...policy, deliveryCount: 1 })).toEqual({
      kind: 'nak',
      delayMs: 100,
      retryLater: false,
    })
    expect(decideOutcome(failed(error), { ...policy, deliveryCount: 2 })).toEqual({
      kind: 'nak',
      delayMs: 2000,
      retryLater: false,
    })
  })

  it('treats ServiceUnavailable as transient', () => {
    const outcome = decideOutcome(failed(new ServiceUnavailableError('db down')), {
      ...policy,
      deliveryCount: 1,
    })
    expect(outcome.kind).toBe('nak')
  })

  it('terms a permanent error at once, even on the first delivery', () => {
    for (const error of [new BadRequestError('bad cid'), new NotFoundError()]) {
      expect(decideOutcome(failed(error), { ...policy, deliveryCount: 1 })).toEqual({
        kind: 'term',
        reason: 'permanent',
      })
    }
  })

  it('terms as exhausted when the last allowed delivery fails', () => {
    expect(decideOutcome(failed(new Error('x')), { ...policy, deliveryCount: 3 })).toEqual({
      kind: 'term',
      reason: 'exhausted',
    })
  })

  it('naks with the requested delay for retryLater, without counting it as an error', () => {
    expect(
      decideOutcome({ ok: true, value: retryLater(750) }, { ...policy, deliveryCount: 2 }),
    ).toEqual({ kind: 'nak', delayMs: 750, retryLater: true })
  })

  it('gives up a retryLater on the last delivery, since the server would not redeliver it', () => {
    expect(
      decideOutcome({ ok: true, value: retryLater(750) }, { ...policy, deliveryCount: 3 }),
    ).toEqual({ kind: 'term', reason: 'exhausted' })
  })

  it('naks without delay while stopping so another instance takes the message at once', () => {
    expect(
      decideOutcome(failed(new Error('aborted'), true), { ...policy, deliveryCount: 1 }),
    ).toEqual({
      kind: 'nak',
      delayMs: 0,
      retryLater: false,
    })
  })
})

describe('retryLater and isPermanentError', () => {
  it('rejects negative or fractional delays', () => {
    expect(() => retryLater(-1)).toThrow(RangeError)
    expect(() => retryLater(1.5)).toThrow(RangeError)
    expect(retryLater(0).delayMs).toBe(0)
  })

  it('knows permanent reasons only for AppErrors', () => {
    expect(isPermanentError(new BadRequestError('x'))).toBe(true)
    expect(isPermanentError(new ServiceUnavailableError('x'))).toBe(false)
    expect(isPermanentError(new TypeError('x'))).toBe(false)
    expect(isPermanentError('BAD_REQUEST')).toBe(false)
  })
})
