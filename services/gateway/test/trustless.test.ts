import { createHash } from 'node:crypto'
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { extract } from 'it-tar'
import { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { carCids, fixtureBlocks, fixtures } from './helpers/fixtures.js'
import { startTestGateway, type Fetched, type TestGateway } from './helpers/harness.js'

// Ported from gateway-conformance v0.13.2: TestTrustlessRaw(Ranges), TestGatewayBlock,
// TestTrustlessCarPathing, TestTrustlessCarDagScope{Block,Entity,All}, TestTrustlessCarEntityBytes,
// TestTrustlessCarOrderAndDuplicates, TestTar, and gateway.md §1.6-1.8, §1.13.

let gw: TestGateway
let blocks: Awaited<ReturnType<typeof fixtureBlocks>>

beforeAll(async () => {
  gw = await startTestGateway()
  blocks = await fixtureBlocks()
})
afterAll(() => gw?.close())

const multiblock = 'bafybeigcisqd7m5nf3qmuvjdbakl5bdnh4ocrmacaqkpuh77qjvggmt2sa'
const leaves = [
  'bafkreie5noke3mb7hqxukzcy73nl23k6lxszxi5w3dtmuwz62wnvkpsscm',
  'bafkreih4ephajybraj6wnxsbwjwa77fukurtpl7oj7t7pfq545duhot7cq',
  'bafkreigu7buvm3cfunb35766dn7tmqyh2um62zcio63en2btvxuybgcpue',
  'bafkreicll3huefkc3qnrzeony7zcfo7cr3nbx64hnxrqzsixpceg332fhe',
  'bafkreifst3pqztuvj57lycamoi7z34b4emf7gawxs74nwrc2c7jncmpaqm',
]
const asciiCid = 'bafkreifkam6ns4aoolg3wedr4uzrs3kvq66p4pecirz6y2vlrngla62mxm'
const helloCid = 'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4'
const twoFilesSubdir = 'bafybeiggghzz6dlue3m6nb2dttnbrygxh3lrjl5764f2m4gq7dgzdt55o4'
const mixedSubdir = 'bafybeicnmple4ehlz3ostv2sbojz3zhh5q7tz5r2qkfdpqfilgggeen7xm'
const documentCid = 'bafyreidy4q6mmetut5jzc54ambsfnatbyoujmwbfzyyolqw24majazwgha'

/** Every CAR request both ways (?format=car and Accept), with the headers every CAR must have. */
async function car(path: string, query = '', accept?: string): Promise<string[]> {
  const separator = path.includes('?') ? '&' : '?'
  const byQuery = await gw.api(`${path}${separator}format=car${query}`)
  const byAccept = await gw.api(`${path}${query === '' ? '' : `${separator}${query.slice(1)}`}`, {
    headers: { Accept: accept ?? 'application/vnd.ipld.car' },
  })
  for (const res of [byQuery, byAccept]) {
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.ipld\.car; version=1;/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('accept-ranges')).toBe('none')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".*\.car"/)
    expect(res.headers.get('etag')).toMatch(/^W\/".+"$/)
  }
  const [a, b] = await Promise.all([carCids(byQuery.body), carCids(byAccept.body)])
  expect(b.blocks).toEqual(a.blocks)
  return a.blocks
}

function isHamtNode(cid: string): boolean {
  const block = blocks.get(cid)
  if (block === undefined || block.cid.code !== dagPb.code) return false
  return UnixFS.unmarshal(dagPb.decode(block.bytes).Data!).type === 'hamt-sharded-directory'
}

describe('raw blocks', () => {
  it('returns the block at the end of a path, by ?format=raw and by Accept', async () => {
    const dir = 'bafybeifaqksygmsbnqe76kwvxoqxtkzcwssq5jkhuo65ldtqiunr3bxlra'
    for (const res of [
      await gw.api(`/ipfs/${fixtures.rawBlock}/dir?format=raw`),
      await gw.api(`/ipfs/${fixtures.rawBlock}/dir`, {
        headers: { Accept: 'application/vnd.ipld.raw' },
      }),
    ]) {
      expect(res.status).toBe(200)
      expect(res.body.equals(Buffer.from(blocks.get(dir)!.bytes))).toBe(true)
    }
  })

  it('carries the trustless headers', async () => {
    const path = `/ipfs/${fixtures.rawBlock}/dir/ascii.txt`
    const res = await gw.api(path, { headers: { Accept: 'application/vnd.ipld.raw' } })
    expect(res.headers.get('content-type')).toBe('application/vnd.ipld.raw')
    expect(res.headers.get('content-length')).toBe('31')
    expect(res.headers.get('content-disposition')).toContain(
      'attachment; filename="bafkreihhpc5y2pqvl5rbe5uuyhqjouybfs3rvlmisccgzue2kkt5zq6upq.bin"',
    )
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('etag')).toBe(
      '"bafkreihhpc5y2pqvl5rbe5uuyhqjouybfs3rvlmisccgzue2kkt5zq6upq.raw"',
    )
    expect(res.headers.get('x-ipfs-path')).toBe(path)
    expect(res.headers.get('x-ipfs-roots')).toContain(fixtures.rawBlock)
    expect(res.headers.get('cache-control')).toBe('public, max-age=29030400, immutable')
    const named = await gw.api(`${path}?filename=foobar.bin`, {
      headers: { Accept: 'application/vnd.ipld.raw' },
    })
    expect(named.headers.get('content-disposition')).toContain('attachment; filename="foobar.bin"')
  })

  it('answers ranges of a raw block (single and multiple)', async () => {
    const path = `/ipfs/${fixtures.rawBlock}/dir`
    const res = await gw.api(path, {
      headers: { Accept: 'application/vnd.ipld.raw', Range: 'bytes=6-16' },
    })
    const dir = Buffer.from(
      blocks.get('bafybeifaqksygmsbnqe76kwvxoqxtkzcwssq5jkhuo65ldtqiunr3bxlra')!.bytes,
    )
    expect(res.status).toBe(206)
    expect(res.headers.get('content-type')).toBe('application/vnd.ipld.raw')
    expect(res.headers.get('content-range')).toBe('bytes 6-16/57')
    expect(res.body.equals(dir.subarray(6, 17))).toBe(true)
    const multi = await gw.api(`${path}/ascii.txt`, {
      headers: { Accept: 'application/vnd.ipld.raw', Range: 'bytes=6-16,0-4' },
    })
    expect(multi.headers.get('content-type')).toContain('multipart/byteranges')
    expect(multi.text).toContain('Content-Type: application/vnd.ipld.raw')
    expect(multi.text).toContain('Content-Range: bytes 0-4/31')
  })

  it('returns bytes that hash to the CID for every codec', async () => {
    const cids = [
      fixtures.dirWithFiles,
      asciiCid,
      fixtures.dagCbor,
      fixtures.dagJson,
      fixtures.plainJson,
      fixtures.plainCbor,
    ]
    for (const text of cids) {
      const res = await gw.api(`/ipfs/${text}?format=raw`)
      expect(res.status).toBe(200)
      const digest = createHash('sha256').update(res.body).digest()
      expect(Buffer.from(CID.parse(text).multihash.digest).equals(digest)).toBe(true)
    }
  })

  it('answers the trustless probes on bafkqaaa (raw and CAR, GET and HEAD)', async () => {
    const raw = await gw.api('/ipfs/bafkqaaa?format=raw')
    expect(raw.status).toBe(200)
    expect(raw.body.length).toBe(0)
    const carRes = await gw.api('/ipfs/bafkqaaa?format=car')
    expect(carRes.status).toBe(200)
    expect(await carCids(carRes.body)).toEqual({ roots: ['bafkqaaa'], blocks: [] })
    const head = await gw.api('/ipfs/bafkqaaa?format=raw', { method: 'HEAD' })
    expect(head.status).toBe(200)
  })
})

describe('CAR pathing and dag-scope', () => {
  it('carries the path blocks, then the terminus DAG (IPIP-0402)', async () => {
    expect(await car(`/ipfs/${fixtures.twoFiles}/subdir/ascii.txt`)).toEqual([
      fixtures.twoFiles,
      twoFilesSubdir,
      asciiCid,
    ])
  })

  it('carries only the HAMT shards on the way to an entry', async () => {
    const got = await car(`/ipfs/${fixtures.hamt}/685.txt`)
    expect(got[0]).toBe(fixtures.hamt)
    expect(got.slice(-6)).toEqual([multiblock, ...leaves])
    const shards = got.slice(1, -6)
    expect(shards.length).toBeGreaterThan(0)
    expect(shards.every(isHamtNode)).toBe(true)
    // Each shard is linked from the block before it: a path, not a sample of the HAMT.
    for (const [index, cid] of [...shards, multiblock].entries()) {
      const parent = dagPb.decode(blocks.get(got[index]!)!.bytes)
      expect(parent.Links.map((link) => link.Hash.toString())).toContain(cid)
    }
  })

  it('paths through a dag-cbor document by its links', async () => {
    expect(await car(`/ipfs/${documentCid}/files/single`)).toEqual([documentCid, helloCid])
  })

  it('answers 404 for a path that does not exist', async () => {
    const res = await gw.api(`/ipfs/${fixtures.twoFiles}/subdir/i-do-not-exist?format=car`)
    expect(res.status).toBe(404)
  })

  it('dag-scope=block: path blocks and the terminus block only', async () => {
    const q = '&dag-scope=block'
    expect(await car(`/ipfs/${fixtures.twoFiles}/subdir`, q)).toEqual([
      fixtures.twoFiles,
      twoFilesSubdir,
    ])
    expect(await car(`/ipfs/${fixtures.twoFiles}/subdir/ascii.txt`, q)).toEqual([
      fixtures.twoFiles,
      twoFilesSubdir,
      asciiCid,
    ])
    const hamt = await car(`/ipfs/${fixtures.hamt}/1.txt`, q)
    expect(hamt.at(-1)).toBe(multiblock)
    expect(hamt.slice(1, -1).every(isHamtNode)).toBe(true)
  })

  it('dag-scope=entity: a directory enumerates, a file is whole, a document is its block', async () => {
    const q = '&dag-scope=entity'
    expect(await car(`/ipfs/${fixtures.twoFiles}`, q)).toEqual([fixtures.twoFiles])
    const hamt = await car(`/ipfs/${fixtures.hamt}`, q)
    const allShards = [...blocks.keys()].filter(isHamtNode)
    expect(hamt[0]).toBe(fixtures.hamt)
    expect(new Set(hamt)).toEqual(new Set(allShards))
    expect(hamt.length).toBe(allShards.length)
    expect(await car(`/ipfs/${fixtures.mixedBlocks}/subdir/ascii.txt`, q)).toEqual([
      fixtures.mixedBlocks,
      mixedSubdir,
      asciiCid,
    ])
    expect(await car(`/ipfs/${fixtures.mixedBlocks}/subdir/multiblock.txt`, q)).toEqual([
      fixtures.mixedBlocks,
      mixedSubdir,
      multiblock,
      ...leaves,
    ])
    expect(await car(`/ipfs/${fixtures.dagCborWithLinks}/document`, q)).toEqual([
      fixtures.dagCborWithLinks,
      documentCid,
    ])
  })

  it('dag-scope=all (the default): the whole DAG depth-first', async () => {
    const all = [fixtures.mixedBlocks, mixedSubdir, asciiCid, helloCid, multiblock, ...leaves]
    expect(await car(`/ipfs/${fixtures.mixedBlocks}/subdir`, '&dag-scope=all')).toEqual(all)
    expect(await car(`/ipfs/${fixtures.mixedBlocks}/subdir`)).toEqual(all)
    expect(
      await car(`/ipfs/${fixtures.mixedBlocks}/subdir/multiblock.txt`, '&dag-scope=all'),
    ).toEqual([fixtures.mixedBlocks, mixedSubdir, multiblock, ...leaves])
  })
})

describe('CAR entity-bytes', () => {
  const file = `/ipfs/${multiblock}`
  const bytes = (range: string) => car(file, `&dag-scope=entity&entity-bytes=${range}`)

  it('needs only the blocks of the range, even when others are missing', async () => {
    const a = await car(`/ipfs/${fixtures.missingBlock}`, '&dag-scope=entity&entity-bytes=0:1000')
    expect(new Set(a)).toEqual(
      new Set([fixtures.missingBlock, 'QmPKt7ptM2ZYSGPUc8PmPT2VBkLDK3iqpG9TBJY7PCE9rF']),
    )
    const b = await car(`/ipfs/${fixtures.missingBlock}`, '&dag-scope=entity&entity-bytes=2200:*')
    expect(new Set(b)).toEqual(
      new Set([fixtures.missingBlock, 'QmWXY482zQdwecnfBsj78poUUuPXvyw2JAFAEMw4tzTavV']),
    )
  })

  it('selects the minimal leaves for every form of range', async () => {
    expect(await bytes('512:*')).toEqual([multiblock, ...leaves.slice(2)])
    expect(await bytes('512:1023')).toEqual([multiblock, ...leaves.slice(2, 4)])
    expect(await bytes('512:-256')).toEqual([multiblock, ...leaves.slice(2, 4)])
    expect(await bytes('-5:*')).toEqual([multiblock, ...leaves.slice(3)])
    expect(await bytes('-9999:*')).toEqual([multiblock, ...leaves])
    expect(await bytes('-9999:-3')).toEqual([multiblock, ...leaves.slice(0, 4)])
    expect(await bytes('0:0')).toEqual([multiblock, leaves[0]])
    expect(await bytes('5000:6000')).toEqual([multiblock])
  })

  it('is the whole file with 0:* and ignored on a directory', async () => {
    expect(
      await car(
        `/ipfs/${fixtures.mixedBlocks}/subdir/multiblock.txt`,
        '&dag-scope=entity&entity-bytes=0:*',
      ),
    ).toEqual([fixtures.mixedBlocks, mixedSubdir, multiblock, ...leaves])
    const dir = await car(`/ipfs/${fixtures.hamt}`, '&dag-scope=entity&entity-bytes=0:*')
    expect(dir.every(isHamtNode)).toBe(true)
  })

  it('refuses malformed values with 400', async () => {
    for (const query of [
      'entity-bytes=abc',
      'entity-bytes=10:5',
      'dag-scope=entity&entity-bytes=-1:-5',
      'dag-scope=all&entity-bytes=0:1',
      'dag-scope=nope',
      'car-version=2',
      'car-order=bfs',
      'car-dups=maybe',
    ]) {
      expect((await gw.api(`${file}?format=car&${query}`)).status).toBe(400)
    }
  })
})

describe('CAR order and duplicates', () => {
  const dir = `/ipfs/${fixtures.dirWithFiles}`
  const expectTypes = (res: Fetched, ...parts: string[]) => {
    for (const part of parts) expect(res.headers.get('content-type')).toContain(part)
  }

  it('dups=y repeats duplicated blocks in DFS order; dups=n sends each once', async () => {
    const y = await gw.api(dir, {
      headers: { Accept: 'application/vnd.ipld.car; version=1; order=dfs; dups=y' },
    })
    expectTypes(y, 'application/vnd.ipld.car', 'order=dfs', 'dups=y')
    expect((await carCids(y.body)).blocks).toEqual([
      fixtures.dirWithFiles,
      asciiCid,
      asciiCid,
      helloCid,
      multiblock,
      ...leaves,
    ])
    const n = await gw.api(dir, {
      headers: { Accept: 'application/vnd.ipld.car; version=1; order=dfs; dups=n' },
    })
    expectTypes(n, 'order=dfs', 'dups=n')
    expect((await carCids(n.body)).blocks).toEqual([
      fixtures.dirWithFiles,
      asciiCid,
      helloCid,
      multiblock,
      ...leaves,
    ])
    expect(y.headers.get('etag')).not.toBe(n.headers.get('etag'))
  })

  it('answers order=unk with an explicit order and dups=n by default', async () => {
    const res = await gw.api(dir, {
      headers: { Accept: 'application/vnd.ipld.car; version=1; order=unk' },
    })
    expectTypes(res, 'order=', 'dups=n')
  })

  it('never sends identity blocks, even with dups=y', async () => {
    const res = await gw.api('/ipfs/bafkqaf3imvwgy3zaneqgc3janfxgy2lomvscay3jmqfa', {
      headers: { Accept: 'application/vnd.ipld.car; dups=y' },
    })
    expect(res.status).toBe(200)
    expectTypes(res, 'dups=y')
    expect((await carCids(res.body)).blocks).toEqual([])
  })

  it('takes params from Accept with ?format=car, and car-* query params win (IPIP-0523)', async () => {
    const accept = { Accept: 'application/vnd.ipld.car; version=1; order=dfs; dups=y' }
    const withFormat = await gw.api(`${dir}?format=car`, { headers: accept })
    expectTypes(withFormat, 'dups=y')
    const overridden = await gw.api(`${dir}?format=car&car-dups=n`, { headers: accept })
    expectTypes(overridden, 'dups=n')
    // ?format wins over a different Accept, with no 400 for the conflict.
    const raw = await gw.api(`${dir}?format=raw`, { headers: accept })
    expect(raw.headers.get('content-type')).toBe('application/vnd.ipld.raw')
    const carOverRaw = await gw.api(`${dir}?format=car`, {
      headers: { Accept: 'application/vnd.ipld.raw' },
    })
    expectTypes(carOverRaw, 'application/vnd.ipld.car')
  })

  it('names the format in Content-Location when it came from Accept', async () => {
    const res = await gw.api(dir, { headers: { Accept: 'application/vnd.ipld.raw' } })
    expect(res.headers.get('content-location')).toBe(
      `/gateway/api/v1/ipfs/${fixtures.dirWithFiles}?format=raw`,
    )
  })

  it('gives 304 for the CAR ETag and different ETags per scope', async () => {
    const all = await gw.api(`${dir}?format=car`)
    const block = await gw.api(`${dir}?format=car&dag-scope=block`)
    expect(all.headers.get('etag')).not.toBe(block.headers.get('etag'))
    const again = await gw.api(`${dir}?format=car`, {
      headers: { 'If-None-Match': all.headers.get('etag')! },
    })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
  })
})

async function untar(body: Buffer): Promise<Map<string, { type: string; content: string }>> {
  const entries = new Map<string, { type: string; content: string }>()
  for await (const entry of extract()([body])) {
    const chunks: Uint8Array[] = []
    for await (const chunk of entry.body) chunks.push(chunk.subarray())
    entries.set(entry.header.name, {
      type: entry.header.type ?? 'file',
      content: Buffer.concat(chunks).toString('utf8'),
    })
  }
  return entries
}

describe('TAR', () => {
  const fileCid = 'bafkreialihlqnf5uwo4byh4n3cmwlntwqzxxs2fg5vanqdi3d7tb2l5xkm'
  const content = 'I am a txt file on path with utf8\n'

  it('archives a file under its CID (format=tar and Accept)', async () => {
    for (const res of [
      await gw.api(`/ipfs/${fileCid}?format=tar`),
      await gw.api(`/ipfs/${fileCid}`, { headers: { Accept: 'application/x-tar' } }),
    ]) {
      expect(res.status).toBe(200)
      expect(res.headers.get('content-disposition')).toContain('attachment;')
      expect(res.headers.get('etag')).toBe(`W/"${fileCid}.x-tar"`)
      expect(res.headers.get('content-type')).toBe('application/x-tar')
      expect((await untar(res.body)).get(fileCid)?.content).toBe(content)
    }
  })

  it('archives a directory under <cid>/…', async () => {
    const res = await gw.api(`/ipfs/${fixtures.dirListing}?format=tar`)
    const entries = await untar(res.body)
    expect(entries.get(`${fixtures.dirListing}/ą/ę/file-źł.txt`)?.content).toBe(content)
    expect(entries.get(`${fixtures.dirListing}/ą`)?.type).toBe('directory')
  })

  it('sets the exact Content-Disposition for a non-ASCII ?filename=', async () => {
    const res = await gw.api(
      `/ipfs/${fixtures.dirListing}?filename=${encodeURIComponent('testтест.tar')}&format=tar`,
    )
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="test____.tar"; filename*=UTF-8''test%D1%82%D0%B5%D1%81%D1%82.tar`,
    )
  })

  it('refuses entries escaping the root before sending anything, keeps those that stay in', async () => {
    const outside = await gw.api(`/ipfs/${fixtures.tarOutside}?format=tar`)
    expect(outside.status).toBe(400)
    expect(outside.text).toContain('relative UnixFS paths outside the root are now allowed')
    const inside = await gw.api(`/ipfs/${fixtures.tarInside}?format=tar`)
    expect(inside.status).toBe(200)
    expect((await untar(inside.body)).get(`${fixtures.tarInside}/foobar/file`)?.content).toBe(
      'Hello, world!\n',
    )
  })

  it('answers 406 for TAR of non-UnixFS content', async () => {
    expect((await gw.api(`/ipfs/${fixtures.dagCbor}?format=tar`)).status).toBe(406)
  })
})
