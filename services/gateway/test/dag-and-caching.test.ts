import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixtureBlocks, fixtures } from './helpers/fixtures.js'
import { fetchAll, startTestGateway, type TestGateway } from './helpers/harness.js'

// Ported from gateway-conformance v0.13.2: TestNativeDag, TestPathing, TestPlainCodec,
// TestCodecMismatchReturns406, TestGatewayCache, TestCors, plus gateway.md §1.1, §1.9, §1.10.

let gw: TestGateway
let blocks: Awaited<ReturnType<typeof fixtureBlocks>>
const immutable = 'public, max-age=29030400, immutable'

beforeAll(async () => {
  gw = await startTestGateway()
  blocks = await fixtureBlocks()
})
afterAll(() => gw?.close())

const bytesOf = (cid: string) => Buffer.from(blocks.get(cid)!.bytes)

describe('dag-json and dag-cbor documents', () => {
  const rows = [
    { cid: fixtures.dagJson, format: 'json', disposition: 'inline' },
    { cid: fixtures.dagCbor, format: 'cbor', disposition: 'attachment' },
  ]

  it.each(rows)(
    'serves $format documents as stored, with the codec headers',
    async ({ cid, format, disposition }) => {
      const type = `application/vnd.ipld.dag-${format}`
      for (const res of [
        await gw.api(`/ipfs/${cid}`),
        await gw.api(`/ipfs/${cid}?format=dag-${format}`),
        await gw.api(`/ipfs/${cid}`, { headers: { Accept: type } }),
      ]) {
        expect(res.status).toBe(200)
        expect(res.body.equals(bytesOf(cid))).toBe(true)
        expect(res.headers.get('content-type')).toBe(type)
        expect(res.headers.get('content-length')).toBe(String(bytesOf(cid).length))
        expect(res.headers.get('content-disposition')).toContain(
          `${disposition}; filename="${cid}.${format}"`,
        )
        expect(res.headers.get('x-content-type-options')).toBe('nosniff')
        expect(res.headers.get('etag')).toContain(`${cid}.dag-${format}`)
        expect(res.headers.get('cache-control')).toBe(immutable)
        expect(res.headers.get('x-ipfs-path')).toBe(`/ipfs/${cid}`)
        expect(res.headers.get('x-ipfs-roots')).toBe(cid)
      }
    },
  )

  it.each(rows)(
    'serves $format documents as plain JSON/CBOR on request (same bytes)',
    async ({ cid, format }) => {
      for (const res of [
        await gw.api(`/ipfs/${cid}?format=${format}`),
        await gw.api(`/ipfs/${cid}/`, { headers: { Accept: `application/${format}` } }),
      ]) {
        expect(res.status).toBe(200)
        expect(res.headers.get('content-type')).toBe(`application/${format}`)
        expect(res.body.equals(bytesOf(cid))).toBe(true)
      }
    },
  )

  it.each(rows)(
    'custom ?filename= and ?download=true on $format',
    async ({ cid, format, disposition }) => {
      const type = { Accept: `application/vnd.ipld.dag-${format}` }
      const named = await gw.api(`/ipfs/${cid}?filename=foobar.${format}`, { headers: type })
      expect(named.headers.get('content-disposition')).toContain(
        `${disposition}; filename="foobar.${format}"`,
      )
      const download = await gw.api(`/ipfs/${cid}?filename=foobar.${format}&download=true`, {
        headers: type,
      })
      expect(download.headers.get('content-disposition')).toContain(
        `attachment; filename="foobar.${format}"`,
      )
    },
  )

  it.each(rows)(
    'HEAD of a $format document has the type and length, no body',
    async ({ cid, format }) => {
      for (const query of ['', `?format=dag-${format}`]) {
        const res = await gw.api(`/ipfs/${cid}${query}`, { method: 'HEAD' })
        expect(res.status).toBe(200)
        expect(res.headers.get('content-type')).toContain(`application/vnd.ipld.dag-${format}`)
        expect(res.headers.get('content-length')).toBe(String(bytesOf(cid).length))
        expect(res.body.length).toBe(0)
      }
    },
  )

  it.each(rows)(
    'previews $format as HTML for Accept: text/html (generated, not immutable)',
    async ({ cid }) => {
      const res = await gw.api(`/ipfs/${cid}/`, { headers: { Accept: 'text/html' } })
      expect(res.status).toBe(200)
      expect(res.headers.get('etag')).toContain('DagIndex-')
      expect(res.headers.get('content-type')).toContain('text/html')
      expect(res.headers.get('content-disposition')).toBeNull()
      expect(res.headers.get('cache-control')).toBe(
        'public, max-age=604800, stale-while-revalidate=2678400',
      )
      expect(res.text).toContain('</html>')
    },
  )

  it.each(rows)('answers ranges of $format documents', async ({ cid }) => {
    const res = await gw.api(`/ipfs/${cid}`, { headers: { Range: 'bytes=1-4' } })
    expect(res.status).toBe(206)
    expect(res.body.equals(bytesOf(cid).subarray(1, 5))).toBe(true)
  })

  it('paths through document links, 501 inside a document, 404 for a missing key', async () => {
    for (const [cid, format] of [
      [fixtures.dagJson, 'dag-json'],
      [fixtures.dagCbor, 'dag-cbor'],
    ] as const) {
      const inside = await gw.api(`/ipfs/${cid}/foo?format=${format}`)
      expect(inside.status).toBe(501)
      expect(inside.text).toContain('gateways follow only Links (CBOR Tag 42) between blocks')
      const through = await gw.api(`/ipfs/${cid}/foo/link/bar?format=${format}`)
      expect(through.status).toBe(200)
      expect(through.headers.get('x-ipfs-roots')?.split(',')).toHaveLength(3)
      expect((await gw.api(`/ipfs/${cid}/foo/i-do-not-exist`)).status).toBe(404)
    }
    const json = await gw.api(`/ipfs/${fixtures.dagJson}/foo/link/bar?format=dag-json`)
    expect(JSON.parse(json.text)).toEqual({ hello: 'this is not a link' })
  })
})

describe('plain json and cbor codecs', () => {
  it.each([
    { cid: fixtures.plainJson, format: 'json', disposition: 'inline' },
    { cid: fixtures.plainCbor, format: 'cbor', disposition: 'attachment' },
  ])(
    'serves $format blocks as-is, by default, ?format= and Accept',
    async ({ cid, format, disposition }) => {
      for (const res of [
        await gw.api(`/ipfs/${cid}`),
        await gw.api(`/ipfs/${cid}?format=${format}`),
        await gw.api(`/ipfs/${cid}`, { headers: { Accept: `application/${format}` } }),
      ]) {
        expect(res.status).toBe(200)
        expect(res.headers.get('content-type')).toBe(`application/${format}`)
        expect(res.headers.get('content-disposition')).toContain(
          `${disposition}; filename="${cid}.${format}"`,
        )
        expect(res.body.equals(bytesOf(cid))).toBe(true)
      }
    },
  )
})

describe('codec mismatch (IPIP-0524)', () => {
  const file = 'bafkreialihlqnf5uwo4byh4n3cmwlntwqzxxs2fg5vanqdi3d7tb2l5xkm'
  const dagPbFile = `${fixtures.jsonCbor}/%C4%85/%C4%99/file-%C5%BA%C5%82.txt`

  it('answers 406 instead of converting between codecs', async () => {
    const cases: [string, Record<string, string>][] = [
      [`/ipfs/${dagPbFile}?format=dag-json`, {}],
      [`/ipfs/${dagPbFile}?format=dag-cbor`, {}],
      [`/ipfs/${dagPbFile}`, { Accept: 'application/vnd.ipld.dag-json' }],
      [`/ipfs/${fixtures.jsonCbor}?format=dag-json`, {}],
      [`/ipfs/${fixtures.dagJson}?format=dag-cbor`, {}],
      [`/ipfs/${fixtures.dagCbor}?format=dag-json`, {}],
      [`/ipfs/${fixtures.dagCbor}`, { Accept: 'application/vnd.ipld.dag-json' }],
      [`/ipfs/${file}?format=dag-cbor`, {}],
      [`/ipfs/${fixtures.plainCbor}?format=json`, {}],
    ]
    for (const [path, headers] of cases)
      expect((await gw.api(path, { headers })).status, path).toBe(406)
  })

  it('answers 400 for unknown formats and vendor types', async () => {
    expect((await gw.api(`/ipfs/${file}?format=yaml`)).status).toBe(400)
    expect((await gw.api(`/ipfs/${file}?format=ipns-record`)).status).toBe(400)
    expect(
      (await gw.api(`/ipfs/${file}`, { headers: { Accept: 'application/vnd.ipld.foo' } })).status,
    ).toBe(400)
  })
})

describe('caching headers and conditional requests', () => {
  const root = fixtures.cache
  const root2 = 'bafybeih2w7hjocxjg6g2ku25hvmd53zj7og4txpby3vsusfefw5rrg5sii'
  const root3 = 'bafybeiawdvhmjcz65x5egzx4iukxc72hg4woks6v6fvgyupiyt3oczk5ja'
  const root4 = 'bafybeifq2rzpqnqrsdupncmkmhs3ckxxjhuvdcbvydkgvch3ms24k5lo7q'
  const index = 'bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am'

  it('marks a listing as generated: DirIndex ETag, a week, X-Ipfs-Path and Roots', async () => {
    const res = await gw.api(`/ipfs/${root}/root2/root3/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-ipfs-path')).toBe(`/ipfs/${root}/root2/root3/`)
    expect(res.headers.get('x-ipfs-roots')).toBe(`${root},${root2},${root3}`)
    expect(res.headers.get('etag')).toMatch(new RegExp(`^"DirIndex-.*_CID-${root3}"$`))
    expect(res.headers.get('cache-control')).toBe(
      'public, max-age=604800, stale-while-revalidate=2678400',
    )
  })

  it('marks index.html and files immutable with the right ETags and roots', async () => {
    const dir = await gw.api(`/ipfs/${root}/root2/root3/root4/`)
    expect(dir.headers.get('cache-control')).toBe(immutable)
    expect(dir.headers.get('x-ipfs-roots')).toBe(`${root},${root2},${root3},${root4}`)
    expect(dir.headers.get('etag')).toBe(`"${root4}"`)
    const file = await gw.api(`/ipfs/${root}/root2/root3/root4/index.html`)
    expect(file.headers.get('cache-control')).toBe(immutable)
    expect(file.headers.get('x-ipfs-path')).toBe(`/ipfs/${root}/root2/root3/root4/index.html`)
    expect(file.headers.get('x-ipfs-roots')).toBe(`${root},${root2},${root3},${root4},${index}`)
    expect(file.headers.get('etag')).toBe(`"${index}"`)
    expect(file.headers.get('last-modified')).toBeNull()
    const asJson = await gw.api(`/ipfs/${root}/root2/root3/root4/?format=json`)
    expect(asJson.status).toBe(200)
    expect(asJson.headers.get('cache-control')).toBe(immutable)
  })

  it('answers 304 to If-None-Match: exact, in a list, weak, wildcard; keeping ETag and Cache-Control', async () => {
    const path = `/ipfs/${root}/root2/root3/root4/index.html`
    for (const value of [
      `"${index}"`,
      `"fakeEtag1", "fakeEtag2", "${index}"`,
      `W/"${index}"`,
      '*',
    ]) {
      const res = await gw.api(path, { headers: { 'If-None-Match': value } })
      expect(res.status, value).toBe(304)
      expect(res.body.length).toBe(0)
      expect(res.headers.get('etag')).toBe(`"${index}"`)
      expect(res.headers.get('cache-control')).toBe(immutable)
    }
    expect((await gw.api(path, { headers: { 'If-None-Match': '"other"' } })).status).toBe(200)
    const dir = await gw.api(`/ipfs/${root}/root2/root3/root4/`, {
      headers: { 'If-None-Match': `"${root4}"` },
    })
    expect(dir.status).toBe(304)
  })

  it('answers 304 for a listing by its DirIndex ETag (strong or weak) or the directory CID', async () => {
    const listing = `/ipfs/${root}/root2/root3/`
    const etag = (await gw.api(listing)).headers.get('etag')!
    for (const value of [etag, `W/${etag}`, `W/"${root3}"`]) {
      expect((await gw.api(listing, { headers: { 'If-None-Match': value } })).status, value).toBe(
        304,
      )
    }
  })

  it('only-if-cached: 412 when the root is not here, 200 when it is (HEAD and GET)', async () => {
    const missing = '/ipfs/QmYzfKSE55XCjD1MW128RfciAf2DViABhEiXfgVFMabSjN'
    const present = `/ipfs/${root}/root2/root3/root4/?format=json`
    const cc = { 'Cache-Control': 'only-if-cached' }
    for (const method of ['HEAD', 'GET']) {
      expect((await gw.api(missing, { method, headers: cc })).status).toBe(412)
      expect((await gw.api(present, { method, headers: cc })).status).toBe(200)
    }
  })

  it('HEAD matches GET in status and headers, without a body', async () => {
    for (const path of [
      `/ipfs/${root}/root2/root3/root4/index.html`,
      `/ipfs/${fixtures.dirWithFiles}/multiblock.txt`,
      `/ipfs/${root}/root2/root3/`,
    ]) {
      const get = await gw.api(path)
      const head = await gw.api(path, { method: 'HEAD' })
      expect(head.status).toBe(get.status)
      expect(head.body.length).toBe(0)
      for (const name of ['content-type', 'etag', 'cache-control', 'x-ipfs-path', 'x-ipfs-roots'])
        expect(head.headers.get(name), name).toBe(get.headers.get(name))
    }
  })

  it('reads only the root and the first leaf for HEAD of a multi-block file', async () => {
    const reads: string[] = []
    const store = gw.deps.blockstore as { get: typeof gw.deps.blockstore.get }
    const get = store.get.bind(store)
    store.get = async (cid, options) => {
      reads.push(cid.toString())
      return get(cid, options)
    }
    try {
      await gw.api(`/ipfs/bafybeigcisqd7m5nf3qmuvjdbakl5bdnh4ocrmacaqkpuh77qjvggmt2sa`, {
        method: 'HEAD',
      })
    } finally {
      store.get = get
    }
    expect(reads.length).toBeLessThanOrEqual(2)
  })
})

describe('request validation and CORS', () => {
  it('answers 400 for invalid CIDs, unsupported codecs and hashes, oversized identity CIDs', async () => {
    const { CID } = await import('multiformats/cid')
    const { identity } = await import('multiformats/hashes/identity')
    const { sha256 } = await import('multiformats/hashes/sha2')
    const gitRaw = CID.createV1(0x78, await sha256.digest(new Uint8Array([1])))
    const bigIdentity = CID.createV1(0x55, identity.digest(new Uint8Array(129)))
    for (const path of ['/ipfs/not-a-cid', `/ipfs/${gitRaw}`, `/ipfs/${bigIdentity}`, '/ipfs/']) {
      expect((await gw.api(path)).status, path).toBe(400)
    }
    const okIdentity = CID.createV1(0x55, identity.digest(new Uint8Array(128)))
    expect((await gw.api(`/ipfs/${okIdentity}?format=raw`)).status).toBe(200)
  })

  it('refuses Service-Worker registration on a bare CID only', async () => {
    const headers = { 'Service-Worker': 'script' }
    expect((await gw.api(`/ipfs/${fixtures.dirWithFiles}`, { headers })).status).toBe(400)
    expect((await gw.api(`/ipfs/${fixtures.dirWithFiles}/`, { headers })).status).toBe(200)
  })

  it('answers CORS preflights without credentials and exposes the gateway headers', async () => {
    const res = await fetchAll(`${gw.url}/gateway/api/v1/ipfs/${fixtures.dirWithFiles}/`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    for (const method of ['GET', 'HEAD', 'OPTIONS'])
      expect(res.headers.get('access-control-allow-methods')).toContain(method)
    for (const header of [
      'Content-Type',
      'Range',
      'User-Agent',
      'X-Requested-With',
      'Authorization',
    ])
      expect(res.headers.get('access-control-allow-headers')).toContain(header)
    for (const header of [
      'Content-Range',
      'Content-Length',
      'X-Ipfs-Path',
      'X-Ipfs-Roots',
      'X-Chunked-Output',
      'X-Stream-Output',
    ])
      expect(res.headers.get('access-control-expose-headers')).toContain(header)
    const get = await gw.api(`/ipfs/${fixtures.dirWithFiles}/hello.txt`)
    expect(get.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('answers 405 to other methods', async () => {
    const res = await gw.api(`/ipfs/${fixtures.dirWithFiles}/hello.txt`, { method: 'POST' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toContain('GET')
  })

  it('never compresses: Content-Length is exact even when gzip is accepted', async () => {
    const res = await gw.api(`/ipfs/${fixtures.dirWithFiles}?format=raw`, {
      headers: { 'Accept-Encoding': 'gzip' },
    })
    expect(res.headers.get('content-encoding')).toBeNull()
    expect(Number(res.headers.get('content-length'))).toBe(res.body.length)
  })
})
