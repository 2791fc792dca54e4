import { describe, expect, it } from 'vitest'
import type { GatewayResponse } from '../domain/response.js'
import { createResponseCache, type CacheableRequest } from './response-cache.js'

const immutable = 'public, max-age=29030400, immutable'
const request = (overrides: Partial<CacheableRequest> = {}): CacheableRequest => ({
  method: 'GET',
  prefix: '/gateway/api/v1',
  path: '/bafyfile',
  query: '',
  headers: {},
  ...overrides,
})
const response = (overrides: Partial<GatewayResponse> = {}): GatewayResponse => ({
  status: 200,
  headers: { 'Cache-Control': immutable, 'Content-Type': 'text/plain', 'Content-Length': '5' },
  ...overrides,
})
const hello = new TextEncoder().encode('hello')

function setup(maxEntryBytes = 64 * 1024) {
  let now = 0
  const cache = createResponseCache({
    maxBytes: 1024 * 1024,
    maxEntryBytes,
    ttlMs: 60_000,
    now: () => now,
  })
  return { cache, advance: (ms: number) => (now += ms) }
}

describe('response cache keys', () => {
  const { cache } = setup()
  const key = (overrides: Partial<CacheableRequest>) => cache.keyOf(request(overrides))

  it('tell apart everything an answer depends on', () => {
    const keys = [
      key({}),
      key({ method: 'HEAD' }),
      key({ prefix: '/gateway/web' }),
      key({ path: '/bafyfile/a' }),
      key({ query: 'format=raw' }),
      key({ headers: { accept: 'application/vnd.ipld.raw' } }),
    ]
    expect(keys.every((value) => value !== undefined)).toBe(true)
    expect(new Set(keys).size).toBe(keys.length)
    // Headers the answer does not depend on are not part of it.
    expect(key({ headers: { 'user-agent': 'curl', authorization: 'Bearer x' } })).toBe(key({}))
  })

  it.each(['range', 'if-none-match', 'if-range', 'cache-control', 'service-worker'])(
    'leave out a request with %s (its answer depends on more than the URL)',
    (name) => {
      expect(key({ headers: { [name]: 'x' } })).toBeUndefined()
    },
  )

  it('are never made when the cache is off', () => {
    const off = createResponseCache({ maxBytes: 0, maxEntryBytes: 0, ttlMs: 0 })
    expect(off.keyOf(request())).toBeUndefined()
  })
})

describe('remembering answers', () => {
  it('keeps a whole immutable 200 as status, headers in order and a copy of the body', () => {
    const { cache, advance } = setup()
    const key = cache.keyOf(request())!
    const block = new Uint8Array([0, ...hello, 0])
    cache.remember(key, response(), block.subarray(1, 6))
    block.fill(0)
    const cached = cache.get(key)!
    expect(cached.status).toBe(200)
    expect(cached.headers).toEqual([
      'Cache-Control',
      immutable,
      'Content-Type',
      'text/plain',
      'Content-Length',
      '5',
    ])
    expect(new TextDecoder().decode(cached.body)).toBe('hello')
    advance(60_000)
    expect(cache.get(key)).toBeUndefined()
  })

  it('keeps a bodiless answer (HEAD) as an empty body', () => {
    const { cache } = setup()
    const key = cache.keyOf(request({ method: 'HEAD' }))!
    cache.remember(key, response(), new Uint8Array(0))
    expect(cache.get(key)?.body.length).toBe(0)
  })

  it.each([
    ['a streamed body (not known whole)', response(), undefined],
    ['a 206', response({ status: 206 }), hello],
    ['a 301', response({ status: 301 }), new Uint8Array(0)],
    [
      'a generated page (not immutable)',
      response({ headers: { 'Cache-Control': 'public, max-age=604800' } }),
      hello,
    ],
    ['an answer without Cache-Control', response({ headers: {} }), hello],
    ['a body over the entry limit', response(), new Uint8Array(6)],
  ])('skips %s', (_name, answer, body) => {
    const { cache } = setup(5)
    const key = cache.keyOf(request())!
    cache.remember(key, answer, body)
    expect(cache.get(key)).toBeUndefined()
    // The same cache keeps a body of the limit's size.
    cache.remember(key, response(), hello)
    expect(cache.get(key)?.body.length).toBe(5)
  })
})
