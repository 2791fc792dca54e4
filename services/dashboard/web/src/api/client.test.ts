import { describe, expect, it } from 'vitest'
import { ApiError, errorFromBody, query } from './client.js'

describe('errorFromBody', () => {
  it('reads the Pinning API error body', () => {
    const error = errorFromBody(403, '{"error":{"reason":"CSRF_FAILED","details":"no token"}}')
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 403, reason: 'CSRF_FAILED', details: 'no token' })
  })

  it('keeps the status of an answer that is not JSON', () => {
    expect(errorFromBody(502, 'Bad Gateway')).toMatchObject({
      status: 502,
      reason: 'HTTP_502',
      details: 'Bad Gateway',
    })
  })
})

describe('query', () => {
  it('keeps only defined, non-empty values, encoded', () => {
    expect(
      query({ status: 'pinned,failed', name: '', cid: undefined, limit: 20, before: null }),
    ).toBe('?status=pinned%2Cfailed&limit=20')
    expect(query({ name: '' })).toBe('')
  })
})
