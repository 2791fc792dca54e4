import { CarReader } from '@ipld/car'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { afterEach, describe, expect, it } from 'vitest'
import {
  BlockNotFoundError,
  ContentUnavailableError,
  FetchTimeoutError,
  InvalidCarError,
  type Blockstore,
  type InvalidCarCode,
  type PinProgress,
} from '../src/index.js'
import {
  carBytes,
  cborBlock,
  chunked,
  collect,
  completeFixtures,
  fixtures,
  freshDag,
  gitRawBlock,
  identityCid,
  loadFixture,
  md5Block,
  rawBlock,
  unixfsFile,
  type TestBlock,
} from './helpers/fixtures.js'
import { startTestGateway, type TestGateway } from './helpers/trustless-gateway.js'

/** A backend under test, built from blockstore config overrides (e.g. TRUSTLESS_GATEWAYS). */
export interface ContractSubject {
  blockstore: Blockstore
  cleanup(): Promise<void>
}

export type SubjectFactory = (env?: Record<string, string>) => Promise<ContractSubject>

async function expectInvalidCar(promise: Promise<unknown>, code: InvalidCarCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(InvalidCarError)
  expect((error as InvalidCarError).code).toBe(code)
  expect((error as InvalidCarError).reason).toBe('BAD_REQUEST')
}

async function expectNoneStored(blockstore: Blockstore, blocks: readonly TestBlock[]) {
  const present = await Promise.all(blocks.map((block) => blockstore.has(block.cid)))
  expect(present).toEqual(blocks.map(() => false))
}

async function expectAllStored(blockstore: Blockstore, blocks: readonly TestBlock[]) {
  const mismatched: string[] = []
  for (const block of blocks) {
    // Buffer.equals, not toEqual: vitest's deep equality walks a 256 KiB block byte by byte.
    if (!Buffer.from(await blockstore.get(block.cid)).equals(block.bytes)) {
      mismatched.push(block.cid.toString())
    }
  }
  expect(mismatched).toEqual([])
}

/** Cuts `car` inside the last block section (keeps its first half). */
function truncateInLastBlock(car: Uint8Array, lastBlock: TestBlock): Uint8Array {
  return car.subarray(0, car.length - Math.ceil(lastBlock.bytes.length / 2))
}

/**
 * The behaviour every blockstore backend must have. Each backend's test file calls this with a
 * factory; backend-specific behaviour is tested beside it.
 */
export function describeBlockstoreContract(backend: string, createSubject: SubjectFactory): void {
  describe(`blockstore contract: ${backend}`, () => {
    const cleanups: (() => Promise<void>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    async function subject(env?: Record<string, string>): Promise<Blockstore> {
      const created = await createSubject(env)
      cleanups.push(created.cleanup)
      return created.blockstore
    }

    async function gateway(
      blocks: readonly TestBlock[],
      mode?: Parameters<typeof startTestGateway>[1],
    ): Promise<TestGateway> {
      const started = await startTestGateway(blocks, mode)
      cleanups.push(started.close)
      return started
    }

    describe('blocks', () => {
      it('puts, gets, has and stats blocks of each codec', async () => {
        const blockstore = await subject()
        const leaf = await rawBlock(1000)
        const node = await cborBlock({ leaf: leaf.cid })
        await blockstore.put(leaf.cid, leaf.bytes)
        await blockstore.put(node.cid, node.bytes)
        await expectAllStored(blockstore, [leaf, node])
        expect(await blockstore.has(leaf.cid)).toBe(true)
        expect((await blockstore.stat(leaf.cid)).size).toBe(1000)
        expect((await blockstore.stat(node.cid)).size).toBe(node.bytes.length)
      })

      it('refuses a block whose bytes do not match its CID, and stores nothing', async () => {
        const blockstore = await subject()
        const block = await rawBlock()
        const other = await rawBlock()
        await expectInvalidCar(blockstore.put(block.cid, other.bytes), 'HASH_MISMATCH')
        await expectNoneStored(blockstore, [block, other])
      })

      it('answers BlockNotFoundError for a missing block, without fetching it', async () => {
        const blockstore = await subject()
        const missing = await rawBlock()
        expect(await blockstore.has(missing.cid)).toBe(false)
        await expect(blockstore.get(missing.cid)).rejects.toBeInstanceOf(BlockNotFoundError)
        await expect(blockstore.stat(missing.cid)).rejects.toBeInstanceOf(BlockNotFoundError)
        const error = await blockstore.get(missing.cid).catch((caught: unknown) => caught)
        expect((error as BlockNotFoundError).reason).toBe('NOT_FOUND')
      })

      it('serves identity CIDs from the CID itself', async () => {
        const blockstore = await subject()
        const inline = new TextEncoder().encode('inline me')
        const cid = identityCid(raw.code, inline)
        expect(await blockstore.has(cid)).toBe(true)
        expect(new TextDecoder().decode(await blockstore.get(cid))).toBe('inline me')
        expect((await blockstore.stat(cid)).size).toBe(inline.length)
      })

      it('writes computed blocks with putMany (a UnixFS file)', async () => {
        const blockstore = await subject()
        const file = await unixfsFile(700 * 1024)
        const result = await blockstore.putMany(file.blocks)
        expect(result.blocks).toBe(file.blocks.length)
        await expectAllStored(blockstore, file.blocks)
        expect((await blockstore.dagSize(file.root)).blocks).toBe(file.blocks.length)
      })

      it('putMany refuses a bad block with a typed error', async () => {
        const blockstore = await subject()
        const good = await rawBlock()
        const bad = await rawBlock()
        const corrupted = { cid: bad.cid, bytes: good.bytes }
        await expectInvalidCar(blockstore.putMany([good, corrupted]), 'HASH_MISMATCH')
        expect(await blockstore.has(bad.cid)).toBe(false)
      })
    })

    describe('CAR import', () => {
      it.each(completeFixtures)('imports the $name fixture, streamed', async ({ root }) => {
        const blockstore = await subject()
        const car = await loadFixture(root)
        const result = await blockstore.importCar(chunked(car.bytes))
        expect(result.roots.map(String)).toEqual([root])
        expect(result.blocks).toBe(new Set(car.blocks.map((b) => b.cid.toString())).size)
        await expectAllStored(blockstore, car.blocks)
      })

      it('imports a CAR with several roots', async () => {
        const blockstore = await subject()
        const first = await freshDag(2)
        const second = await freshDag(3)
        const car = await carBytes([first.root, second.root], [...first.blocks, ...second.blocks])
        const result = await blockstore.importCar(chunked(car))
        expect(result.roots.map(String)).toEqual([first.root.toString(), second.root.toString()])
        expect(result.blocks).toBe(first.blocks.length + second.blocks.length)
        await expectAllStored(blockstore, [...first.blocks, ...second.blocks])
      })

      it('accepts a CAR that lacks part of its DAG (the rest comes with the pin)', async () => {
        const blockstore = await subject()
        const car = await loadFixture(fixtures.partialFile)
        const result = await blockstore.importCar(chunked(car.bytes))
        expect(result.blocks).toBe(car.blocks.length)
        await expect(blockstore.dagSize(CID.parse(fixtures.partialFile))).rejects.toBeInstanceOf(
          BlockNotFoundError,
        )
      })

      const malformed: {
        name: string
        code: InvalidCarCode
        build: () => Promise<{ car: Uint8Array; blocks: TestBlock[] }>
      }[] = [
        {
          name: 'a block whose bytes do not hash to its CID',
          code: 'HASH_MISMATCH',
          build: async () => {
            const dag = await freshDag(3)
            const last = dag.blocks.at(-1) as TestBlock
            const tampered = Uint8Array.from(last.bytes)
            tampered[10] = (tampered[10] ?? 0) ^ 1
            const blocks = [...dag.blocks.slice(0, -1), { cid: last.cid, bytes: tampered }]
            return { car: await carBytes([dag.root], blocks), blocks: dag.blocks }
          },
        },
        {
          name: 'a stream cut inside the last block',
          code: 'TRUNCATED',
          build: async () => {
            const dag = await freshDag(3)
            const car = await carBytes([dag.root], dag.blocks)
            return {
              car: truncateInLastBlock(car, dag.blocks.at(-1) as TestBlock),
              blocks: dag.blocks,
            }
          },
        },
        {
          name: 'a stream cut inside a section header',
          code: 'TRUNCATED',
          build: async () => {
            const dag = await freshDag(2)
            const head = await carBytes([dag.root], dag.blocks.slice(0, 1))
            const full = await carBytes([dag.root], dag.blocks)
            return { car: full.subarray(0, head.length + 3), blocks: dag.blocks }
          },
        },
        {
          name: 'bytes that are not a CAR',
          code: 'BAD_HEADER',
          build: async () => ({
            car: new TextEncoder().encode('<html>definitely not a CAR</html>'),
            blocks: [],
          }),
        },
        {
          name: 'a header of an unknown CAR version',
          code: 'BAD_HEADER',
          build: async () => {
            const header = dagCbor.encode({ version: 3, roots: [] })
            const dag = await freshDag(1)
            const body = await carBytes([dag.root], dag.blocks)
            const prefix = Uint8Array.of(header.length)
            const first = body[0] ?? 0
            return {
              car: Buffer.concat([prefix, header, body.subarray(1 + first)]),
              blocks: dag.blocks,
            }
          },
        },
        {
          name: 'an empty stream',
          code: 'BAD_HEADER',
          build: async () => ({ car: new Uint8Array(0), blocks: [] }),
        },
        {
          name: 'a block hashed with an unsupported function (md5)',
          code: 'UNSUPPORTED_HASH',
          build: async () => {
            const dag = await freshDag(2)
            const blocks = [...dag.blocks, md5Block()]
            return { car: await carBytes([dag.root], blocks), blocks }
          },
        },
        {
          name: 'a block of an unsupported codec (git-raw)',
          code: 'UNSUPPORTED_CODEC',
          build: async () => {
            const dag = await freshDag(2)
            const blocks = [...dag.blocks, await gitRawBlock()]
            return { car: await carBytes([dag.root], blocks), blocks }
          },
        },
      ]

      it.each(malformed)('refuses $name ($code) and stores nothing', async ({ code, build }) => {
        const blockstore = await subject()
        const { car, blocks } = await build()
        await expectInvalidCar(blockstore.importCar(chunked(car)), code)
        await expectNoneStored(blockstore, blocks)
      })

      it('refuses a block above BLOCKSTORE_MAX_BLOCK_SIZE and stores nothing', async () => {
        const blockstore = await subject({ BLOCKSTORE_MAX_BLOCK_SIZE: '2048' })
        const small = await rawBlock(100)
        const big = await rawBlock(4096)
        const car = await carBytes([small.cid], [small, big])
        await expectInvalidCar(blockstore.importCar(chunked(car, 1000)), 'BLOCK_TOO_LARGE')
        await expectNoneStored(blockstore, [small, big])
      })

      it('stores nothing when the import is aborted part-way', async () => {
        const blockstore = await subject()
        const dag = await freshDag(4)
        const car = await carBytes([dag.root], dag.blocks)
        const controller = new AbortController()
        async function* slow(): AsyncGenerator<Uint8Array> {
          let sent = 0
          for await (const chunk of chunked(car, 200)) {
            sent += chunk.length
            if (sent > car.length / 2) controller.abort(new Error('client went away'))
            yield chunk
          }
        }
        await expect(blockstore.importCar(slow(), { signal: controller.signal })).rejects.toThrow(
          'client went away',
        )
        await expectNoneStored(blockstore, dag.blocks)
      })
    })

    describe('CAR export and DAG walks', () => {
      it.each(completeFixtures)(
        'exports the $name fixture as it was imported',
        async ({ root }) => {
          const blockstore = await subject()
          const car = await loadFixture(root)
          await blockstore.importCar(chunked(car.bytes))
          const exported = await CarReader.fromBytes(
            await collect(blockstore.exportCar(CID.parse(root))),
          )
          expect((await exported.getRoots()).map(String)).toEqual([root])
          const blocks: TestBlock[] = []
          for await (const block of exported.blocks()) blocks.push(block)
          expect(blocks[0]?.cid.toString()).toBe(root)
          const key = (b: TestBlock) =>
            `${b.cid.toString()}:${Buffer.from(b.bytes).toString('hex')}`
          expect(new Set(blocks.map(key)).size).toBe(blocks.length)
          expect(new Set(blocks.map(key))).toEqual(new Set(car.blocks.map(key)))
        },
      )

      it('walks a UnixFS file and sizes it (each block once)', async () => {
        const blockstore = await subject()
        const file = await unixfsFile(1024 * 1024 + 5)
        await blockstore.putMany(file.blocks)
        const walked = []
        for await (const node of blockstore.walkDag(file.root)) walked.push(node)
        expect(walked[0]?.cid.toString()).toBe(file.root.toString())
        expect(walked).toHaveLength(file.blocks.length)
        const leaves = walked.filter((node) => node.cid.code === raw.code)
        expect(leaves.every((node) => node.links.length === 0)).toBe(true)
        expect(walked[0]?.links.map(String)).toEqual(leaves.map((node) => node.cid.toString()))
        const bytes = file.blocks.reduce((sum, block) => sum + block.bytes.length, 0)
        expect(await blockstore.dagSize(file.root)).toEqual({ blocks: file.blocks.length, bytes })
      })

      it('walks UnixFS directories (including a HAMT shard) and dag-cbor links', async () => {
        const blockstore = await subject()
        for (const root of [fixtures.unixfsDir, fixtures.hamt, fixtures.dirWithDagCbor]) {
          const car = await loadFixture(root)
          await blockstore.importCar(chunked(car.bytes, 4096))
          const unique = new Map(car.blocks.map((b) => [b.cid.toString(), b.bytes.length]))
          const bytes = [...unique.values()].reduce((sum, size) => sum + size, 0)
          expect(await blockstore.dagSize(CID.parse(root))).toEqual({ blocks: unique.size, bytes })
        }
      })

      it('walks dag-cbor, dag-json, json, cbor and raw roots', async () => {
        const blockstore = await subject()
        for (const root of [
          fixtures.dagCbor,
          fixtures.dagJson,
          fixtures.plainJson,
          fixtures.plainCbor,
        ]) {
          const car = await loadFixture(root)
          await blockstore.importCar(chunked(car.bytes))
          expect((await blockstore.dagSize(CID.parse(root))).blocks).toBe(car.blocks.length)
        }
        const leaf = await rawBlock(321)
        await blockstore.put(leaf.cid, leaf.bytes)
        expect(await blockstore.dagSize(leaf.cid)).toEqual({ blocks: 1, bytes: 321 })
      })

      it('walks through identity CIDs and leaves them out of CARs', async () => {
        const blockstore = await subject()
        const leaf = await rawBlock(100)
        const inline = identityCid(raw.code, new TextEncoder().encode('tiny'))
        const inlineNode = dagCbor.encode({ leaf: leaf.cid })
        const inlineNodeCid = identityCid(dagCbor.code, inlineNode)
        // dag-cbor orders map keys, so `a` links before `b`.
        const root = await cborBlock({ a: inline, b: inlineNodeCid })
        await blockstore.putMany([root, leaf])
        const walked = []
        for await (const node of blockstore.walkDag(root.cid)) walked.push(node.cid.toString())
        expect(walked).toEqual([root.cid, inline, inlineNodeCid, leaf.cid].map(String))
        const exported = await CarReader.fromBytes(await collect(blockstore.exportCar(root.cid)))
        const cids: string[] = []
        for await (const block of exported.blocks()) cids.push(block.cid.toString())
        expect(cids).toEqual([root.cid.toString(), leaf.cid.toString()])
      })

      it('fails a walk or export of an incomplete DAG with BlockNotFoundError', async () => {
        const blockstore = await subject()
        const dag = await freshDag(2)
        await blockstore.putMany(dag.blocks.slice(0, 2))
        await expect(blockstore.dagSize(dag.root)).rejects.toBeInstanceOf(BlockNotFoundError)
        await expect(collect(blockstore.exportCar(dag.root))).rejects.toBeInstanceOf(
          BlockNotFoundError,
        )
      })
    })

    describe('pins', () => {
      it('pins present content at once, reports its size, and unpins', async () => {
        const blockstore = await subject()
        const car = await loadFixture(fixtures.unixfsDir)
        await blockstore.importCar(chunked(car.bytes))
        const root = CID.parse(fixtures.unixfsDir)
        expect(await blockstore.isPinned(root)).toBe(false)
        // No gateway is configured and the deadline is short: only content already here pins.
        const result = await blockstore.pin(root, { deadlineMs: 5000 })
        expect(result.size).toEqual(await blockstore.dagSize(root))
        expect(await blockstore.isPinned(root)).toBe(true)
        await blockstore.pin(root, { deadlineMs: 5000 })
        await blockstore.unpin(root)
        expect(await blockstore.isPinned(root)).toBe(false)
        await blockstore.unpin(root)
      })

      it('fails a pin of content nobody has within its deadline with a typed error', async () => {
        const blockstore = await subject()
        const missing = await freshDag(1)
        const error = await blockstore
          .pin(missing.root, { deadlineMs: 1500 })
          .catch((caught: unknown) => caught)
        expect(error instanceof FetchTimeoutError || error instanceof ContentUnavailableError).toBe(
          true,
        )
        expect((error as Error).message).toContain(missing.root.toString())
        expect(await blockstore.isPinned(missing.root)).toBe(false)
      })

      it('fetches missing blocks from an HTTP origin given in the request', async () => {
        const blockstore = await subject()
        const file = await unixfsFile(600 * 1024)
        const origin = await gateway(file.blocks)
        const progress: PinProgress[] = []
        const result = await blockstore.pin(file.root, {
          deadlineMs: 20_000,
          origins: [origin.multiaddr],
          onProgress: (update) => progress.push(update),
        })
        expect(result.size.blocks).toBe(file.blocks.length)
        expect(await blockstore.isPinned(file.root)).toBe(true)
        await expectAllStored(blockstore, file.blocks)
        expect(origin.requests[0]?.accept).toContain('application/vnd.ipld.car')
        expect(progress.at(-1)?.blocks).toBe(file.blocks.length)
      })

      it('fetches from configured trustless gateways, block by block when CARs are refused', async () => {
        const dag = await freshDag(3)
        const server = await gateway(dag.blocks, 'raw-only')
        const blockstore = await subject({ TRUSTLESS_GATEWAYS: server.url })
        await blockstore.pin(dag.root, { deadlineMs: 20_000 })
        await expectAllStored(blockstore, dag.blocks)
        expect(server.requests.filter((r) => r.accept.includes('raw'))).toHaveLength(4)
      })

      it('completes a partially uploaded DAG from a gateway', async () => {
        const blockstore = await subject()
        const file = await unixfsFile(900 * 1024)
        const [root, ...leaves] = file.blocks.sort((a) => (a.cid.equals(file.root) ? -1 : 1))
        await blockstore.putMany([root as TestBlock, ...leaves.slice(0, 1)])
        const origin = await gateway(file.blocks)
        await blockstore.pin(file.root, { deadlineMs: 20_000, origins: [origin.url] })
        await expectAllStored(blockstore, file.blocks)
      })

      it('rejects a gateway that sends corrupted bytes and stores none of them', async () => {
        const blockstore = await subject()
        const dag = await freshDag(2)
        const origin = await gateway(dag.blocks, 'corrupt')
        const error = await blockstore
          .pin(dag.root, { deadlineMs: 1500, origins: [origin.multiaddr] })
          .catch((caught: unknown) => caught)
        expect(error instanceof ContentUnavailableError || error instanceof FetchTimeoutError).toBe(
          true,
        )
        expect(origin.requests.length).toBeGreaterThan(0)
        await expectNoneStored(blockstore, dag.blocks)
        expect(await blockstore.isPinned(dag.root)).toBe(false)
      })

      it('times out with FetchTimeoutError when a gateway never answers', async () => {
        const blockstore = await subject()
        const dag = await freshDag(1)
        const origin = await gateway(dag.blocks, 'hang')
        await expect(
          blockstore.pin(dag.root, { deadlineMs: 800, origins: [origin.url] }),
        ).rejects.toBeInstanceOf(FetchTimeoutError)
        expect(await blockstore.isPinned(dag.root)).toBe(false)
      })
    })

    describe('garbage collection', () => {
      it('removes unpinned blocks and keeps every block of pinned DAGs', async () => {
        const blockstore = await subject()
        const kept = await freshDag(2)
        const dropped = await freshDag(2)
        await blockstore.putMany([...kept.blocks, ...dropped.blocks])
        await blockstore.pin(kept.root, { deadlineMs: 5000 })
        const result = await blockstore.gc({ minAgeMs: 0 })
        expect(result.removedBlocks).toBeGreaterThanOrEqual(dropped.blocks.length)
        await expectAllStored(blockstore, kept.blocks)
        await expectNoneStored(blockstore, dropped.blocks)
      })
    })

    it('reports healthy while the backend answers', async () => {
      const blockstore = await subject()
      await expect(blockstore.healthCheck.check(AbortSignal.timeout(5000))).resolves.toBeUndefined()
    })
  })
}
