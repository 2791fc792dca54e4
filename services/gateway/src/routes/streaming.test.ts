import { request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as dagPb from '@ipld/dag-pb'
import { BlockNotFoundError } from '@pinion/blockstore'
import { createLogger } from '@pinion/service-kit'
import express from 'express'
import { UnixFS } from 'ipfs-unixfs'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway } from '../domain/gateway.js'
import { ipfsRoutes } from './ipfs.js'
import { createResponseCache } from './response-cache.js'

// Backpressure: a 1 GiB file (4096 links to one 256 KiB leaf, so the fake blockstore stays
// small) must be read only as fast as the client reads, and not at all once it has gone.

const leafSize = 256 * 1024
const leaves = 4096
let server: Server
let url: string
let root: CID
let reads = 0
const recorded: number[] = []

beforeAll(async () => {
  const leafBytes = new Uint8Array(leafSize).fill(0x61)
  const leaf = CID.createV1(raw.code, await sha256.digest(leafBytes))
  const data = new UnixFS({
    type: 'file',
    blockSizes: Array(leaves).fill(BigInt(leafSize)),
  }).marshal()
  const rootBytes = dagPb.encode(
    dagPb.prepare({
      Data: data,
      Links: Array.from({ length: leaves }, () => ({ Hash: leaf, Tsize: leafSize })),
    }),
  )
  root = CID.createV1(dagPb.code, await sha256.digest(rootBytes))
  const store = new Map<string, Uint8Array>([
    [leaf.toString(), leafBytes],
    [root.toString(), rootBytes],
  ])
  // A fake of our Blockstore interface (get/has) that counts reads.
  const blockstore = {
    async get(cid: CID) {
      reads += 1
      const bytes = store.get(cid.toString())
      if (bytes === undefined) throw new BlockNotFoundError(cid.toString())
      return bytes
    },
    has: async (cid: CID) => store.has(cid.toString()),
  }
  // The same with `readInto`, as the local backend has: leaves then stream through lent buffers.
  const pooling = {
    ...blockstore,
    async readInto(cid: CID, target: Uint8Array) {
      const bytes = await blockstore.get(cid)
      if (bytes.length >= target.length) return undefined
      target.set(bytes)
      return bytes.length
    },
  }
  const app = express()
  for (const [prefix, backend] of [
    ['/plain', blockstore],
    ['/pooled', pooling],
  ] as const) {
    const gateway = createGateway(
      { blockstore: backend },
      {
        maxPathLength: 4096,
        maxPathSegments: 256,
        maxDagDepth: 64,
        cacheVisibility: 'public',
        readAhead: 4,
        blockCacheBytes: 0,
      },
    )
    app.use(
      ipfsRoutes(
        {
          gateway,
          meter: { record: (_user, bytes) => recorded.push(bytes) },
          quota: { assertWithinQuota: async () => undefined },
          responses: createResponseCache({ maxBytes: 0, maxEntryBytes: 0, ttlMs: 0 }),
          logger: createLogger({ service: 'streaming-test', level: 'silent' }),
        },
        { prefix, authenticate: [], userOf: () => 'user-1' },
      ),
    )
  }
  server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((resolve) => server?.close(resolve)))

function open(prefix: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${prefix}/ipfs/${root}`, resolve)
    req.on('error', reject)
    req.end()
  })
}

/** Reads `bytes` from the response, then leaves it paused. */
async function readSome(res: IncomingMessage, bytes: number): Promise<number> {
  let got = 0
  for await (const chunk of res) {
    got += (chunk as Buffer).length
    if (got >= bytes) break
  }
  return got
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each([
  ['plain reads', '/plain'],
  ['reads into lent buffers', '/pooled'],
])('streaming a 1 GiB file with %s', (_name, prefix) => {
  it('reads blocks only as fast as a slow client takes them', async () => {
    reads = 0
    const res = await open(prefix)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-length']).toBe(String(leafSize * leaves))
    res.pause()
    await readSome(res, 4 * 1024 * 1024)
    res.pause()
    await sleep(300)
    const paused = reads
    await sleep(300)
    // Socket buffers and the read-ahead window hold a few MiB; an eager reader would be at 4097.
    expect(paused).toBeLessThan(100)
    expect(reads).toBe(paused)
    res.destroy()
  })

  it('stops reading when the client disconnects, and meters what was sent', async () => {
    reads = 0
    recorded.length = 0
    const res = await open(prefix)
    await readSome(res, 8 * 1024 * 1024)
    res.destroy()
    await sleep(300)
    const afterAbort = reads
    await sleep(300)
    expect(reads).toBe(afterAbort)
    expect(afterAbort).toBeLessThan(100)
    expect(recorded).toHaveLength(1)
    expect(recorded[0]).toBeGreaterThanOrEqual(8 * 1024 * 1024)
    expect(recorded[0]).toBeLessThan(leafSize * leaves)
  })
})
