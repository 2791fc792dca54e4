import { randomBytes } from 'node:crypto'
import { BlockNotFoundError } from '@pinion/blockstore'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import type { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { createBlockSource } from './block-source.js'
import { createBufferPool, type BufferPool } from './buffer-pool.js'
import { fileBytes } from './file-reader.js'

// Streaming a file lends pooled buffers (BlockSource.borrow, fileNodes' `borrow`): every loan must
// come back, whatever way the stream ends, and no byte may change under its reader.

/** A blockstore over a Map with `readInto`, as the local backend has. */
function memoryBlockstore() {
  const blocks = new Map<string, Uint8Array>()
  return {
    blocks,
    async put(cid: CID, bytes: Uint8Array) {
      blocks.set(cid.toString(), bytes)
      return cid
    },
    async get(cid: CID) {
      const bytes = blocks.get(cid.toString())
      if (bytes === undefined) throw new BlockNotFoundError(cid.toString())
      return bytes
    },
    async readInto(cid: CID, target: Uint8Array) {
      const bytes = await this.get(cid)
      if (bytes.length >= target.length) return undefined
      target.set(bytes)
      return bytes.length
    },
    has: async (cid: CID) => blocks.has(cid.toString()),
  }
}

/** A pool that counts buffers out on loan, and remembers every buffer it lent. */
function countingPool(
  bufferBytes: number,
): BufferPool & { readonly out: number; readonly lent: Set<ArrayBufferLike> } {
  const pool = createBufferPool({ bufferBytes, maxFree: 8 })
  const lent = new Set<ArrayBufferLike>()
  let out = 0
  return {
    bufferBytes,
    lent,
    get out() {
      return out
    },
    acquire() {
      out += 1
      const buffer = pool.acquire()
      lent.add(buffer.buffer)
      return buffer
    },
    release(buffer) {
      out -= 1
      pool.release(buffer)
    },
  }
}

/** A UnixFS file of `size` random bytes in 1000-byte leaves, 4 links per node (3 levels). */
async function importFile(size: number, rawLeaves: boolean) {
  const store = memoryBlockstore()
  const content = randomBytes(size)
  let root: CID | undefined
  for await (const entry of importer([{ content }], store, {
    rawLeaves,
    chunker: fixedSize({ chunkSize: 1000 }),
    layout: balanced({ maxChildrenPerNode: 4 }),
  }))
    root = entry.cid
  if (root === undefined) throw new Error('nothing imported')
  return { store, content, root }
}

const readOptions = { maxDepth: 16, readAhead: 4, borrow: true }

describe('createBufferPool', () => {
  it('reuses what is released, keeps at most maxFree and nothing of another size', () => {
    const pool = createBufferPool({ bufferBytes: 8, maxFree: 1 })
    const [a, b] = [pool.acquire(), pool.acquire()]
    pool.release(a)
    pool.release(b)
    expect(pool.acquire()).toBe(a)
    expect(pool.acquire()).not.toBe(b)
    pool.release(new Uint8Array(9))
    expect(pool.acquire().length).toBe(8)
  })
})

describe('borrowed reads', () => {
  it.each([
    ['raw leaves', true],
    ['dag-pb leaves', false],
  ])('stream a whole file with %s and give every buffer back', async (_name, rawLeaves) => {
    const { store, content, root } = await importFile(40_000, rawLeaves)
    const pool = countingPool(2048)
    const source = createBlockSource(store, { pool })
    const chunks: Buffer[] = []
    let outAtMost = 0
    const iterator = fileBytes(
      source,
      { cid: root, bytes: await store.get(root) },
      { start: 0, end: content.length },
      readOptions,
    )
    const lentChunks: boolean[] = []
    for await (const chunk of iterator) {
      lentChunks.push(pool.lent.has(chunk.buffer))
      chunks.push(Buffer.from(chunk))
      outAtMost = Math.max(outAtMost, pool.out)
    }
    // The first chunk is never lent (a writer may hold it while reading the second); most are.
    expect(lentChunks[0]).toBe(false)
    expect(lentChunks.filter(Boolean).length).toBeGreaterThan(30)
    expect(Buffer.concat(chunks).equals(content)).toBe(true)
    expect(outAtMost).toBeGreaterThan(0)
    // Read-ahead is per level of the tree (3 below the root here), plus the block being taken:
    // far fewer than the file's 40 leaves.
    expect(outAtMost).toBeLessThanOrEqual(readOptions.readAhead * 3 + 1)
    expect(pool.out).toBe(0)
  })

  it('gives the buffers back when the consumer stops early, read-ahead included', async () => {
    const { store, root } = await importFile(40_000, true)
    const pool = countingPool(2048)
    const source = createBlockSource(store, { pool })
    let taken = 0
    let outAtStop = 0
    for await (const _chunk of fileBytes(
      source,
      { cid: root, bytes: await store.get(root) },
      { start: 0, end: 40_000 },
      readOptions,
    )) {
      if (++taken === 10) {
        outAtStop = pool.out
        break
      }
    }
    // Buffers were out when the consumer stopped (the one in hand, the read-ahead)…
    expect(outAtStop).toBeGreaterThan(1)
    // …and all came back once the read-ahead settled after the generator returned.
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(pool.out).toBe(0)
  })

  it('gives the buffers back when a block is missing mid-file', async () => {
    const { store, root, content } = await importFile(40_000, true)
    // Drop a leaf from the middle.
    const leaves = [...store.blocks.entries()].filter(([, bytes]) => bytes.length === 1000)
    store.blocks.delete(leaves[20]![0])
    const pool = countingPool(2048)
    const source = createBlockSource(store, { pool })
    let received = 0
    await expect(
      (async () => {
        for await (const chunk of fileBytes(
          source,
          { cid: root, bytes: await store.get(root) },
          { start: 0, end: content.length },
          readOptions,
        ))
          received += chunk.length
      })(),
    ).rejects.toBeInstanceOf(BlockNotFoundError)
    expect(received).toBeLessThan(content.length)
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(pool.out).toBe(0)
  })

  it('reads blocks larger than a pooled buffer without lending them', async () => {
    const { store, content, root } = await importFile(40_000, true)
    const pool = countingPool(512)
    const source = createBlockSource(store, { pool })
    const chunks: Uint8Array[] = []
    for await (const chunk of fileBytes(
      source,
      { cid: root, bytes: await store.get(root) },
      { start: 0, end: content.length },
      readOptions,
    ))
      chunks.push(chunk)
    expect(Buffer.concat(chunks).equals(content)).toBe(true)
    expect(pool.out).toBe(0)
  })
})
