import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as raw from 'multiformats/codecs/raw'
import { BlockNotFoundError, InvalidCarError } from '../src/index.js'
import {
  carBytes,
  chunked,
  fixtures,
  freshDag,
  identityCid,
  loadFixture,
  rawBlock,
  unixfsFile,
} from './helpers/fixtures.js'
import { startBlockstore, startLocal } from './helpers/subjects.js'
import { startTestGateway } from './helpers/trustless-gateway.js'

// Behaviour only the local backend has: its files, crash recovery, restarts, GC age.
describe('local backend', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  async function local() {
    const started = await startLocal()
    cleanups.push(started.cleanup)
    return started
  }

  it('reads a block into a caller buffer when it fits, and says when it does not', async () => {
    const { blockstore } = await local()
    const readInto = blockstore.readInto!.bind(blockstore)
    const block = await rawBlock(1000)
    await blockstore.put(block.cid, block.bytes)
    const target = new Uint8Array(1024).fill(7)
    expect(await readInto(block.cid, target)).toBe(1000)
    expect(Buffer.from(target.subarray(0, 1000)).equals(block.bytes)).toBe(true)
    // Exactly full is not known to be whole: the caller reads it with get().
    expect(await readInto(block.cid, new Uint8Array(1000))).toBeUndefined()
    expect(await readInto(block.cid, new Uint8Array(999))).toBeUndefined()
    expect(await readInto(block.cid, new Uint8Array(1001))).toBe(1000)
    const inline = new TextEncoder().encode('inline')
    expect(await readInto(identityCid(raw.code, inline), target)).toBe(inline.length)
    expect(new TextDecoder().decode(target.subarray(0, inline.length))).toBe('inline')
    const missing = await rawBlock(10)
    await expect(readInto(missing.cid, target)).rejects.toBeInstanceOf(BlockNotFoundError)
    const aborted = AbortSignal.abort(new Error('gone'))
    await expect(readInto(block.cid, target, { signal: aborted })).rejects.toThrow('gone')
  })

  it('keeps blocks and pins across a restart on the same folder', async () => {
    const { blockstore, path } = await local()
    const dag = await freshDag(2)
    await blockstore.putMany(dag.blocks)
    await blockstore.pin(dag.root, { deadlineMs: 2000 })
    await blockstore.stop()
    const again = await startBlockstore({ BLOCKSTORE: 'local', BLOCKSTORE_PATH: path })
    cleanups.push(again.cleanup)
    expect(await again.blockstore.isPinned(dag.root)).toBe(true)
    expect((await again.blockstore.dagSize(dag.root)).blocks).toBe(3)
  })

  it('keeps an import invisible until the whole CAR verified, then cleans its staging', async () => {
    const { blockstore, path } = await local()
    const dag = await freshDag(3)
    const car = await carBytes([dag.root], dag.blocks)
    const tampered = Buffer.from(car)
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1
    let checked = false
    async function* source(): AsyncGenerator<Uint8Array> {
      const half = car.length - 100
      yield tampered.subarray(0, half)
      // Mid-import: earlier blocks are verified and staged on disk, but not visible.
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(await blockstore.has(dag.root)).toBe(false)
      expect((await readdir(join(path, 'tmp'))).length).toBe(1)
      checked = true
      yield tampered.subarray(half)
    }
    await expect(blockstore.importCar(source())).rejects.toBeInstanceOf(InvalidCarError)
    expect(checked).toBe(true)
    expect(await readdir(join(path, 'tmp'))).toEqual([])
    for (const block of dag.blocks) expect(await blockstore.has(block.cid)).toBe(false)
  })

  it('discards what a crash left in its staging folder on start, never showing it', async () => {
    const { blockstore, path } = await local()
    await blockstore.stop()
    const dag = await freshDag(1)
    const stale = join(path, 'tmp', 'crashed-import')
    await mkdir(stale)
    await writeFile(join(stale, 'half-written'), 'partial')
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000)
    await utimes(stale, old, old)
    const again = await startBlockstore({ BLOCKSTORE: 'local', BLOCKSTORE_PATH: path })
    cleanups.push(again.cleanup)
    expect(await readdir(join(path, 'tmp'))).toEqual([])
    expect(await again.blockstore.has(dag.root)).toBe(false)
  })

  it('spares unpinned blocks younger than minAgeMs from GC', async () => {
    const { blockstore } = await local()
    const dag = await freshDag(1)
    await blockstore.putMany(dag.blocks)
    expect((await blockstore.gc({ minAgeMs: 60_000 })).removedBlocks).toBe(0)
    expect(await blockstore.has(dag.root)).toBe(true)
    const result = await blockstore.gc({ minAgeMs: 0 })
    expect(result.removedBlocks).toBe(2)
    expect(result.removedBytes).toBe(dag.blocks.reduce((sum, block) => sum + block.bytes.length, 0))
  })

  it('keeps what a pin in progress has walked when a GC runs meanwhile', async () => {
    const { blockstore } = await local()
    const file = await unixfsFile(600 * 1024)
    const root = file.blocks.find((block) => block.cid.equals(file.root))
    const leaves = file.blocks.filter((block) => !block.cid.equals(file.root))
    // The root and the first leaf are here (unpinned, so GC fodder); the rest is slow to come.
    await blockstore.putMany([root, leaves[0]].filter((block) => block !== undefined))
    const origin = await startTestGateway(file.blocks, 'slow')
    cleanups.push(origin.close)
    const pinning = blockstore.pin(file.root, { deadlineMs: 20_000, origins: [origin.url] })
    // Wait until the pin is really fetching (no fixed sleep: CI machines are loaded).
    await vi.waitFor(() => expect(origin.requests.length).toBeGreaterThan(0), { timeout: 10_000 })
    const swept = await blockstore.gc({ minAgeMs: 0 })
    expect(swept.removedBlocks).toBe(0)
    await pinning
    for (const block of file.blocks) expect(await blockstore.has(block.cid)).toBe(true)
    expect((await blockstore.gc({ minAgeMs: 0 })).removedBlocks).toBe(0)
  })

  it('stores a block once for its CIDv0 and CIDv1, and pins them as one', async () => {
    const { blockstore } = await local()
    const car = await loadFixture(fixtures.symlink)
    await blockstore.importCar(chunked(car.bytes))
    const v0 = CID.parse(fixtures.symlink)
    expect(await blockstore.has(v0.toV1())).toBe(true)
    await blockstore.pin(v0.toV1(), { deadlineMs: 2000 })
    expect(await blockstore.isPinned(v0)).toBe(true)
  })
})
