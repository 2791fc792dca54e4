import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixtures } from './helpers/fixtures.js'
import { fetchAll, startTestGateway, type TestGateway } from './helpers/harness.js'
import { testSessions, type TestSessions } from './helpers/session.js'

// Authentication of both mounts, the web gateway's isolation from the dashboard, and the bad
// requests a public gateway meets: traversal, over-long paths, deep DAGs, content not held here.

let gw: TestGateway
let sessions: TestSessions
/** A trustless gateway that counts requests: the blockstore must never be made to ask it. */
let origin: Server
let originHits = 0

beforeAll(async () => {
  origin = createServer((_req, res) => {
    originHits += 1
    res.statusCode = 404
    res.end()
  })
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))
  const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`
  // The session store lives in the gateway's own database, which exists only once the gateway
  // has started: the middleware is handed over first and bound to the store right after.
  const late = {
    sessionAuth: [
      (req, res, next) => sessions.sessionAuth[0]!(req, res, next),
      (req, res, next) => sessions.sessionAuth[1]!(req, res, next),
    ] as TestSessions['sessionAuth'],
  }
  gw = await startTestGateway({ TRUSTLESS_GATEWAYS: originUrl, GATEWAY_MAX_DAG_DEPTH: '8' }, late)
  sessions = testSessions(gw.environment.database.prisma)
})
afterAll(async () => {
  await gw?.close()
  origin?.close()
})

const web = (path: string, init: RequestInit = {}) => fetchAll(`${gw.url}/gateway/web${path}`, init)

/** A request whose path and Host go out exactly as given (fetch normalises both). */
function rawRequest(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(base)
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, headers }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('token authentication (/gateway/api/v1)', () => {
  const path = `/ipfs/${fixtures.dirWithFiles}/hello.txt`

  it('answers 401 with a Bearer challenge without a token or with a bad one', async () => {
    const none = await fetchAll(`${gw.url}/gateway/api/v1${path}`)
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /)
    expect(JSON.parse(none.text).error.reason).toBe('UNAUTHORIZED')
    expect((await gw.api(path, { token: 'not.a.jwt' })).status).toBe(401)
  })

  it('answers 403 to a token without the gateway scope', async () => {
    const res = await gw.api(path, { token: await gw.token(['pinning']) })
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toContain('insufficient_scope')
  })

  it('serves with a gateway-scoped token', async () => {
    expect((await gw.api(path)).text).toBe('hello world\n')
  })
})

describe('session authentication (/gateway/web)', () => {
  const path = `/ipfs/${fixtures.dirWithFiles}/hello.txt`

  it('answers 401 without a session and ignores bearer tokens', async () => {
    expect((await web(path)).status).toBe(401)
    const withToken = await web(path, { headers: { Authorization: `Bearer ${await gw.token()}` } })
    expect(withToken.status).toBe(401)
  })

  it('serves a signed-in user, links in listings stay under /gateway/web', async () => {
    const cookie = await sessions.signIn(gw.user.id)
    const before = gw.deps.meter.recorded(gw.user.id)
    const res = await web(path, { headers: { Cookie: cookie } })
    expect(res.status).toBe(200)
    expect(res.text).toBe('hello world\n')
    // The bytes are metered to the session's user.
    expect(gw.deps.meter.recorded(gw.user.id) - before).toBe(12n)
    const listing = await web(`/ipfs/${fixtures.dirWithFiles}/`, { headers: { Cookie: cookie } })
    expect(listing.text).toContain(`href="/gateway/web/ipfs/${fixtures.dirWithFiles}/hello.txt"`)
    const redirect = await web(`/ipfs/${fixtures.dirListing}/ą`, { headers: { Cookie: cookie } })
    expect(redirect.headers.get('location')).toBe(
      `/gateway/web/ipfs/${fixtures.dirListing}/%C4%85/`,
    )
  })

  it('answers 401 once the session is gone (signed out)', async () => {
    const cookie = await sessions.signIn(gw.user.id)
    await gw.environment.database.prisma.session.deleteMany({})
    expect((await web(path, { headers: { Cookie: cookie } })).status).toBe(401)
  })

  it('sandboxes web content so pinned HTML cannot script the dashboard origin', async () => {
    const cookie = await sessions.signIn(gw.user.id)
    const page = await web(`/ipfs/${fixtures.cache}/root2/root3/root4/`, {
      headers: { Cookie: cookie },
    })
    expect(page.headers.get('content-type')).toBe('text/html')
    expect(page.headers.get('content-security-policy')).toBe('sandbox')
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    // `*` without credentials: another origin cannot read web content with the visitor's cookie.
    expect(page.headers.get('access-control-allow-origin')).toBe('*')
    expect(page.headers.get('access-control-allow-credentials')).toBeNull()
    expect((await web(path)).headers.get('content-security-policy')).toBe('sandbox')
    // A repeat is answered from the response cache, still sandboxed.
    const key = gw.deps.responses.keyOf({
      method: 'GET',
      prefix: '/gateway/web',
      path: `/${fixtures.cache}/root2/root3/root4/`,
      query: '',
      headers: { accept: '*/*' }, // what fetch() sends
    })
    expect(gw.deps.responses.get(key!)).toBeDefined()
    const again = await web(`/ipfs/${fixtures.cache}/root2/root3/root4/`, {
      headers: { Cookie: cookie },
    })
    expect(again.headers.get('content-security-policy')).toBe('sandbox')
    expect(again.headers.get('access-control-allow-origin')).toBe('*')
    expect(again.text).toBe(page.text)
  })
})

describe('a separate web origin', () => {
  let other: TestGateway
  beforeAll(async () => {
    other = await startTestGateway({ GATEWAY_WEB_ORIGIN: 'http://content.pinion.test' })
  })
  afterAll(() => other?.close())

  it('redirects web requests to the web origin and serves there without the sandbox', async () => {
    const res = await fetchAll(
      `${other.url}/gateway/web/ipfs/${fixtures.dirWithFiles}/hello.txt?x=1`,
    )
    expect(res.status).toBe(307)
    expect(res.headers.get('location')).toBe(
      `http://content.pinion.test/gateway/web/ipfs/${fixtures.dirWithFiles}/hello.txt?x=1`,
    )
    const there = await rawRequest(
      other.url,
      `/gateway/web/ipfs/${fixtures.dirWithFiles}/hello.txt`,
      {
        Host: 'content.pinion.test',
      },
    )
    // On the web origin the request reaches authentication (no session wired here: 401), unsandboxed.
    expect(there.status).toBe(401)
    expect(there.headers['content-security-policy']).toBeUndefined()
    // The API mount is unaffected.
    expect((await other.api(`/ipfs/${fixtures.dirWithFiles}/hello.txt`)).status).toBe(200)
  })
})

describe('hostile requests', () => {
  it('refuses traversal segments and bad encodings with 400', async () => {
    const dir = `/gateway/api/v1/ipfs/${fixtures.dirWithFiles}`
    const auth = { Authorization: `Bearer ${await gw.token()}` }
    for (const path of [
      `${dir}/../hello.txt`,
      `${dir}/%2e%2e/x`,
      `${dir}/./hello.txt`,
      `${dir}/a%2Fb`,
      `${dir}//hello.txt`,
      `${dir}/%E0%A4%A`,
      `${dir}/a%00b`,
    ]) {
      expect((await rawRequest(gw.url, path, auth)).status, path).toBe(400)
    }
  })

  it('refuses over-long and over-deep paths with 400', async () => {
    const long = `/ipfs/${fixtures.dirWithFiles}/${'a'.repeat(5000)}`
    expect((await gw.api(long)).status).toBe(400)
    const deep = `/ipfs/${fixtures.dirWithFiles}/${Array.from({ length: 300 }, () => 'a').join('/')}`
    expect((await gw.api(deep)).status).toBe(400)
  })

  it('refuses a file DAG deeper than GATEWAY_MAX_DAG_DEPTH with a clean 4xx before sending', async () => {
    // A chain of 20 dag-pb file nodes above one raw leaf, imported as a CAR.
    const dagPb = await import('@ipld/dag-pb')
    const { UnixFS } = await import('ipfs-unixfs')
    const { sha256 } = await import('multiformats/hashes/sha2')
    const { CarWriter } = await import('@ipld/car')
    const leafBytes = new TextEncoder().encode('deep')
    let child: CID = CID.createV1(0x55, await sha256.digest(leafBytes))
    const written: { cid: CID; bytes: Uint8Array }[] = [{ cid: child, bytes: leafBytes }]
    for (let level = 0; level < 20; level++) {
      const data = new UnixFS({ type: 'file', blockSizes: [4n] }).marshal()
      const bytes: Uint8Array = dagPb.encode(
        dagPb.prepare({ Data: data, Links: [{ Hash: child, Tsize: 4 }] }),
      )
      child = CID.createV1(dagPb.code, await sha256.digest(bytes))
      written.push({ cid: child, bytes })
    }
    const { writer, out } = CarWriter.create([child])
    const chunks: Uint8Array[] = []
    const collecting = (async () => {
      for await (const chunk of out) chunks.push(chunk)
    })()
    for (const block of written) await writer.put(block)
    await writer.close()
    await collecting
    await gw.deps.blockstore.importCar([Buffer.concat(chunks)])
    const res = await gw.api(`/ipfs/${child}`)
    expect(res.status).toBe(422)
    expect(res.text).toContain('deeper than 8')
  })

  it('answers 404 for content it does not hold and never asks the network for it', async () => {
    const bytes = new TextEncoder().encode(`absent ${Date.now()}`)
    const digest = createHash('sha256').update(bytes).digest('hex')
    const { create } = await import('multiformats/hashes/digest')
    const cid = CID.createV1(0x55, create(0x12, Buffer.from(digest, 'hex')))
    for (const query of ['', '?format=raw', '?format=car', '?format=tar']) {
      expect((await gw.api(`/ipfs/${cid}${query}`)).status).toBe(404)
    }
    expect((await web(`/ipfs/${cid}`)).status).toBe(401)
    expect(originHits).toBe(0)
  })

  it('escapes names in listings (no markup injection)', async () => {
    const listing = await gw.api(`/ipfs/${fixtures.tarOutside}/`)
    expect(listing.text).toContain('>../foo</a>')
    expect(listing.text).toContain(`href="/gateway/api/v1/ipfs/${fixtures.tarOutside}/..%2Ffoo"`)
    expect((await gw.api(`/ipfs/${fixtures.tarOutside}/..%2Ffoo`)).status).toBe(400)
  })
})
