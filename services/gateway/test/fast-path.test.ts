import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApiToken, createUser, revokeApiToken, type User } from '@pinion/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createExpressApp } from '../src/index.js'
import { createResponseCache } from '../src/routes/response-cache.js'
import { fixtures } from './helpers/fixtures.js'
import { fetchAll, startTestGateway, type Fetched, type TestGateway } from './helpers/harness.js'

// The hot path (routes/fast-ipfs.ts) answers token reads in front of Express. It must answer
// exactly as the Express route does: every request below goes to the gateway as deployed (hot
// path first) and to the Express app alone over the same deps, and the two answers must match.
// The Express app alone has no response cache: its answers are always computed afresh, while the
// gateway's may come from its cache (filled by earlier requests of the file).

let gw: TestGateway
let expressOnly: Server
let expressUrl: string
let token: string

const hotRoute = '/gateway/api/v1/ipfs'

beforeAll(async () => {
  gw = await startTestGateway({ GATEWAY_QUOTA_CACHE_MS: '0' })
  expressOnly = await new Promise((resolve) => {
    const uncached = createResponseCache({ maxBytes: 0, maxEntryBytes: 0, ttlMs: 0 })
    const app = createExpressApp({ ...gw.deps, responses: uncached })
    const server = createServer(app).listen(0, '127.0.0.1', () => resolve(server))
  })
  expressUrl = `http://127.0.0.1:${(expressOnly.address() as AddressInfo).port}`
  token = await gw.token()
})
afterAll(async () => {
  expressOnly?.closeAllConnections()
  await new Promise((resolve) => expressOnly?.close(resolve))
  await gw?.close()
})

/** Requests recorded by the HTTP histogram: all of them, and those the hot path answered. */
async function answered(): Promise<{ all: number; hot: number }> {
  const metric = await gw.deps.metrics.registry
    .getSingleMetric('http_request_duration_seconds')
    ?.get()
  const counts = (metric?.values ?? []).filter((value) =>
    String((value as { metricName?: string }).metricName).endsWith('_count'),
  )
  const sum = (values: typeof counts) => values.reduce((total, value) => total + value.value, 0)
  return { all: sum(counts), hot: sum(counts.filter((value) => value.labels.route === hotRoute)) }
}

/**
 * Fetches from the gateway and says whether the hot path answered. Either path records the
 * request once, when its response has finished, which can be a moment after the client has read
 * the last byte; so this waits for that record instead of reading the histogram at once.
 */
async function fetchCountingHot(url: string, init: RequestInit): Promise<[Fetched, number]> {
  const before = await answered()
  const response = await fetchAll(url, init)
  for (let waited = 0; waited < 2000; waited += 5) {
    const after = await answered()
    if (after.all > before.all) return [response, after.hot - before.hot]
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  throw new Error(`no request recorded for ${url}`)
}

const ignored = new Set(['date', 'x-request-id', 'keep-alive', 'connection'])

function comparable(response: Fetched): {
  status: number
  headers: Record<string, string>
  body: string
} {
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    if (!ignored.has(name)) headers[name] = value
  })
  return { status: response.status, headers, body: response.body.toString('base64') }
}

interface Case {
  name: string
  path: string
  method?: 'GET' | 'HEAD'
  headers?: Record<string, string>
}

const dir = fixtures.dirWithFiles
const cases: Case[] = [
  { name: 'UnixFS file', path: `/ipfs/${dir}/hello.txt` },
  { name: 'multi-block file', path: `/ipfs/${dir}/multiblock.txt` },
  { name: 'HEAD of a file', path: `/ipfs/${dir}/multiblock.txt`, method: 'HEAD' },
  { name: 'file with ?filename=', path: `/ipfs/${dir}/ascii.txt?filename=a%20b.txt` },
  { name: 'download=true', path: `/ipfs/${dir}/ascii.txt?download=true` },
  {
    name: '304 on If-None-Match',
    path: `/ipfs/${dir}/hello.txt`,
    headers: { 'If-None-Match': '*' },
  },
  {
    name: 'one range',
    path: `/ipfs/${dir}/multiblock.txt`,
    headers: { Range: 'bytes=3-700' },
  },
  {
    name: 'suffix range',
    path: `/ipfs/${dir}/multiblock.txt`,
    headers: { Range: 'bytes=-10' },
  },
  { name: 'raw block', path: `/ipfs/${fixtures.rawBlock}?format=raw` },
  {
    name: 'raw by Accept',
    path: `/ipfs/${dir}/hello.txt`,
    headers: { Accept: 'application/vnd.ipld.raw' },
  },
  { name: 'CAR', path: `/ipfs/${dir}?format=car` },
  {
    name: 'CAR dag-scope=block',
    path: `/ipfs/${dir}/hello.txt?format=car&dag-scope=block`,
  },
  { name: 'TAR', path: `/ipfs/${dir}?format=tar` },
  { name: 'directory redirect', path: `/ipfs/${dir}?x=1` },
  { name: 'directory listing', path: `/ipfs/${fixtures.dirListing}/` },
  { name: 'percent-encoded path', path: `/ipfs/${fixtures.dirListing}/%C4%85/%C4%99/` },
  { name: 'HAMT entry', path: `/ipfs/${fixtures.hamt}/685.txt` },
  { name: 'dag-json', path: `/ipfs/${fixtures.dagJson}` },
  {
    name: 'dag-json preview',
    path: `/ipfs/${fixtures.dagJson}`,
    headers: { Accept: 'text/html' },
  },
  { name: 'dag-cbor', path: `/ipfs/${fixtures.dagCbor}?format=dag-cbor` },
  { name: 'invalid CID (400)', path: '/ipfs/not-a-cid' },
  { name: 'missing entry (404)', path: `/ipfs/${fixtures.dirListing}/i-do-not-exist` },
  { name: 'no conversion (406)', path: `/ipfs/${dir}?format=dag-json` },
  {
    name: 'unsatisfiable range (416)',
    path: `/ipfs/${dir}/hello.txt`,
    headers: { Range: 'bytes=9000-9001' },
  },
  { name: 'dot segment (400)', path: `/ipfs/${dir}/../x` },
]

describe('the hot path answers as the Express route does', () => {
  it.each(cases)('$name', async ({ path, method = 'GET', headers = {} }) => {
    const init = { method, headers: { Authorization: `Bearer ${token}`, ...headers } }
    const [fast, answeredHot] = await fetchCountingHot(`${gw.url}/gateway/api/v1${path}`, init)
    expect(answeredHot).toBe(1)
    const slow = await fetchAll(`${expressUrl}/gateway/api/v1${path}`, init)
    expect(comparable(fast)).toEqual(comparable(slow))
    expect(fast.headers.get('x-request-id')).toMatch(/^[\w-]+$/)
  })

  it('keeps an incoming x-request-id, on successes and failures', async () => {
    const id = 'trace-42'
    const ok = await gw.api(`/ipfs/${dir}/hello.txt`, { headers: { 'X-Request-Id': id } })
    expect(ok.headers.get('x-request-id')).toBe(id)
    const missing = await gw.api('/ipfs/not-a-cid', { headers: { 'X-Request-Id': id } })
    expect(missing.status).toBe(400)
    expect(missing.headers.get('x-request-id')).toBe(id)
  })
})

/** The response cache's key of a fetch() GET (or `method`) under the token mount. */
function cacheKey(path: string, query = '', method = 'GET'): string {
  const key = gw.deps.responses.keyOf({
    method,
    prefix: '/gateway/api/v1',
    path: path.slice('/ipfs'.length),
    query,
    // What fetch() sends when the caller gives no Accept.
    headers: { accept: '*/*' },
  })
  if (key === undefined) throw new Error('the response cache is off')
  return key
}

describe('the response cache', () => {
  const auth = () => ({ Authorization: `Bearer ${token}` })

  it('answers a repeated small immutable read from memory, as it was computed', async () => {
    // A query no other test sends, so the first read is computed here.
    const path = `/ipfs/${dir}/ascii.txt`
    const query = 'filename=cached.txt'
    const url = `${gw.url}/gateway/api/v1${path}?${query}`
    expect(gw.deps.responses.get(cacheKey(path, query))).toBeUndefined()
    const [first, firstHot] = await fetchCountingHot(url, { headers: auth() })
    expect(first.status).toBe(200)
    const cached = gw.deps.responses.get(cacheKey(path, query))
    expect(cached?.body.length).toBe(first.body.length)
    const [second, secondHot] = await fetchCountingHot(url, { headers: auth() })
    expect([firstHot, secondHot]).toEqual([1, 1])
    expect(comparable(second)).toEqual(comparable(first))
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'))
    // What is written is the cached answer: an entry marked by hand comes back as it is.
    gw.deps.responses.remember(
      cacheKey(path, query),
      {
        status: 200,
        headers: {
          'Cache-Control': first.headers.get('cache-control')!,
          'Content-Length': String(first.body.length),
          'X-Test-Marker': 'from the cache',
        },
      },
      first.body,
    )
    const marked = await fetchAll(url, { headers: auth() })
    expect(marked.headers.get('x-test-marker')).toBe('from the cache')
    expect(marked.body.equals(first.body)).toBe(true)
  })

  it.each([
    ['HEAD', { method: 'HEAD' }],
    ['another Accept', { headers: { Accept: 'application/vnd.ipld.raw' } }],
    ['a range', { headers: { Range: 'bytes=1-3' } }],
    ['If-None-Match', { headers: { 'If-None-Match': '*' } }],
  ])(
    'answers a request with %s as computed, whatever GET is cached',
    async (_name, init: RequestInit) => {
      const path = `/ipfs/${dir}/hello.txt`
      await fetchAll(`${gw.url}/gateway/api/v1${path}`, { headers: auth() })
      expect(gw.deps.responses.get(cacheKey(path))).toBeDefined()
      const request = { ...init, headers: { ...auth(), ...(init.headers as object) } }
      for (let round = 0; round < 2; round++) {
        const fast = await fetchAll(`${gw.url}/gateway/api/v1${path}`, request)
        const slow = await fetchAll(`${expressUrl}/gateway/api/v1${path}`, request)
        expect(comparable(fast)).toEqual(comparable(slow))
      }
    },
  )
})

describe('authentication and quota on the hot path', () => {
  const path = `/ipfs/${dir}/hello.txt`
  const both = async (init: RequestInit) => {
    const [fast, hot] = await fetchCountingHot(`${gw.url}/gateway/api/v1${path}`, init)
    const slow = await fetchAll(`${expressUrl}/gateway/api/v1${path}`, init)
    expect(comparable(fast)).toEqual(comparable(slow))
    return { fast, hot }
  }

  it('answers a bad token with 401 and the challenge; without one, Express answers', async () => {
    const none = await both({})
    expect(none.fast.status).toBe(401)
    expect(none.fast.headers.get('www-authenticate')).toMatch(/^Bearer /)
    expect(none.hot).toBe(0)
    const bad = await both({ headers: { Authorization: 'Bearer not.a.jwt' } })
    expect(bad.fast.status).toBe(401)
    expect(bad.fast.headers.get('www-authenticate')).toContain('invalid_token')
    expect(bad.hot).toBe(1)
  })

  it('answers 403 to a token without the gateway scope', async () => {
    const pinning = await gw.token(['pinning'])
    const { fast, hot } = await both({ headers: { Authorization: `Bearer ${pinning}` } })
    expect(fast.status).toBe(403)
    expect(fast.headers.get('www-authenticate')).toContain('insufficient_scope')
    expect(hot).toBe(1)
  })

  it('stops serving a revoked token within the revocation window', async () => {
    const prisma = gw.environment.database.prisma
    const row = await createApiToken(prisma, {
      userId: gw.user.id,
      name: 'soon revoked',
      scopes: ['gateway'],
    })
    const revocable = await gw.deps.auth.issuer!.issueApiToken({
      userId: gw.user.id,
      tokenId: row.id,
      scopes: ['gateway'],
    })
    const headers = { Authorization: `Bearer ${revocable}` }
    expect((await both({ headers })).hot).toBe(1)
    // The answer is cached: what refuses the token below is the check before the cache.
    expect(gw.deps.responses.get(cacheKey(path))).toBeDefined()
    await revokeApiToken(prisma, { id: row.id })
    // Until the revocation list notices, both paths still serve the token; compared once it has
    // (comparing meanwhile races the list's poll between the two requests).
    const deadline = Date.now() + 8000
    while (Date.now() < deadline) {
      if ((await fetchAll(`${gw.url}/gateway/api/v1${path}`, { headers })).status === 401) break
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const answer = await both({ headers })
    expect(answer.fast.status).toBe(401)
    expect(answer.fast.text).toContain('revoked')
    expect(answer.hot).toBe(1)
  })

  it('answers 409 INSUFFICIENT_FUNDS over quota, and meters what it serves', async () => {
    const prisma = gw.environment.database.prisma
    const user: User = await createUser(prisma, { email: 'hot@example.org', displayName: 'Hot' })
    // The limit allows two reads, then the month is used up.
    const size = BigInt((await gw.api(path)).body.length)
    // Cached from here on: the quota and the meter below work on cached answers.
    expect(gw.deps.responses.get(cacheKey(path))).toBeDefined()
    await prisma.user.update({
      where: { id: user.id },
      data: { maxGatewayBytesPerMonth: 2n * size },
    })
    const limited = { Authorization: `Bearer ${await gw.token(['gateway'], user)}` }
    const read = (init: RequestInit = {}) =>
      fetchAll(`${gw.url}/gateway/api/v1${path}`, {
        ...init,
        headers: { ...limited, ...(init.headers as object) },
      })
    expect((await read({ method: 'HEAD' })).status).toBe(200)
    expect(gw.deps.meter.pending(user.id)).toBe(0n)
    const first = await read()
    expect(first.status).toBe(200)
    expect(gw.deps.meter.pending(user.id)).toBe(size)
    const etag = first.headers.get('etag')!
    expect((await read({ headers: { 'If-None-Match': etag } })).status).toBe(304)
    expect(gw.deps.meter.pending(user.id)).toBe(size)
    expect((await read()).status).toBe(200)
    const [over, hot] = await fetchCountingHot(`${gw.url}/gateway/api/v1${path}`, {
      headers: limited,
    })
    expect(over.status).toBe(409)
    expect(JSON.parse(over.text)).toMatchObject({ error: { reason: 'INSUFFICIENT_FUNDS' } })
    expect(hot).toBe(1)
    expect(gw.deps.meter.pending(user.id)).toBe(2n * size)
  })
})

describe('with the hot path and the response cache turned off', () => {
  let off: TestGateway
  beforeAll(async () => {
    off = await startTestGateway({ GATEWAY_FAST_PATH: 'false', GATEWAY_RESPONSE_CACHE_MB: '0' })
  })
  afterAll(() => off?.close())

  it('answers every read through Express, computed afresh each time', async () => {
    const path = `/ipfs/${dir}/hello.txt`
    const first = await off.api(path)
    const again = await off.api(path)
    expect(first.status).toBe(200)
    expect(comparable(again)).toEqual(comparable(first))
    expect(
      off.deps.responses.keyOf({
        method: 'GET',
        prefix: '/gateway/api/v1',
        path: path.slice('/ipfs'.length),
        query: '',
        headers: {},
      }),
    ).toBeUndefined()
    const metric = await off.deps.metrics.registry
      .getSingleMetric('http_request_duration_seconds')
      ?.get()
    const routes = (metric?.values ?? [])
      .filter((value) => String((value as { metricName?: string }).metricName).endsWith('_count'))
      .map((value) => value.labels.route)
    expect(routes).not.toContain(hotRoute)
    expect(routes.length).toBeGreaterThan(0)
  })
})
