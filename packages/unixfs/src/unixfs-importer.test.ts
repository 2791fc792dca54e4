import { describe, expect, it } from 'vitest'
import { MemoryBlockstore, text } from '../test/helpers/memory-blockstore.js'
import { InvalidImportError } from './errors.js'
import { createUnixfsImporter, type ImportEntry } from './unixfs-importer.js'

const MiB = 1024 * 1024

/** `count` chunks of `size` bytes, recording how many were pulled. */
function source(count: number, size: number, pulled = { chunks: 0 }) {
  return (async function* () {
    for (let i = 0; i < count; i++) {
      pulled.chunks += 1
      yield new Uint8Array(size).fill(i % 251)
    }
  })()
}

describe('createUnixfsImporter', () => {
  it('splits a file into 256 KiB raw leaves under one dag-pb root', async () => {
    const blockstore = new MemoryBlockstore()
    const unixfs = createUnixfsImporter({ blockstore })
    const result = await unixfs.addFile(source(5, 200 * 1024))
    expect(result.cid.code).toBe(0x70)
    expect(result.contentBytes).toBe(1_024_000)
    // ceil(1_024_000 / 262_144) = 4 leaves + the root; leaves of equal bytes dedupe to none here.
    expect(result.blocks).toBe(5)
    expect([...blockstore.blocks.keys()].filter((cid) => cid.startsWith('bafkrei'))).toHaveLength(4)
  })

  it('reads ahead of a slow blockstore by a bounded number of chunks only', async () => {
    const blockstore = new MemoryBlockstore({ keepBytes: false })
    const pulled = { chunks: 0 }
    let taken = 0
    let maxAhead = 0
    blockstore.beforeEach = async () => {
      taken += 1
      // 256 KiB chunks: one leaf per chunk pulled.
      maxAhead = Math.max(maxAhead, pulled.chunks - taken)
      await new Promise((resolve) => setImmediate(resolve))
    }
    const unixfs = createUnixfsImporter({ blockstore }, { blocksInFlight: 4 })
    await unixfs.addFile(source(200, 256 * 1024, pulled))
    expect(pulled.chunks).toBe(200)
    // Queue (4) + held block (1) + the importer's block-write batch (10) + chunker slack.
    expect(maxAhead).toBeLessThanOrEqual(24)
    expect(maxAhead).toBeGreaterThan(0)
  })

  it('stops reading and fails when the blockstore fails, keeping nothing', async () => {
    const blockstore = new MemoryBlockstore()
    let taken = 0
    blockstore.beforeEach = async () => {
      taken += 1
      if (taken === 3) throw new Error('disk full')
    }
    const pulled = { chunks: 0 }
    const unixfs = createUnixfsImporter({ blockstore }, { blocksInFlight: 2 })
    await expect(unixfs.addFile(source(400, 256 * 1024, pulled))).rejects.toThrow('disk full')
    expect(pulled.chunks).toBeLessThan(40)
    expect(blockstore.blocks.size).toBe(0)
  })

  it('fails with the source error and keeps nothing', async () => {
    const blockstore = new MemoryBlockstore()
    const unixfs = createUnixfsImporter({ blockstore })
    async function* broken() {
      yield new Uint8Array(MiB)
      throw new Error('connection reset')
    }
    await expect(unixfs.addFile(broken())).rejects.toThrow('connection reset')
    expect(blockstore.blocks.size).toBe(0)
  })

  it('stops at once on abort with the signal reason', async () => {
    const blockstore = new MemoryBlockstore()
    const controller = new AbortController()
    const reason = new Error('client went away')
    const unixfs = createUnixfsImporter({ blockstore })
    async function* slow() {
      yield new Uint8Array(MiB)
      controller.abort(reason)
      yield new Uint8Array(MiB)
    }
    await expect(unixfs.addFile(slow(), { signal: controller.signal })).rejects.toBe(reason)
    expect(blockstore.blocks.size).toBe(0)
  })

  it('wraps several top-level entries in a directory, and keeps empty directories', async () => {
    const blockstore = new MemoryBlockstore()
    const unixfs = createUnixfsImporter({ blockstore })
    const result = await unixfs.addAll([
      { path: 'a.txt', content: text('a') },
      { path: 'b/c.txt', content: text('c') },
      { path: 'empty' },
    ])
    const again = await createUnixfsImporter({ blockstore: new MemoryBlockstore() }).addAll(
      [
        { path: 'a.txt', content: text('a') },
        { path: 'b/c.txt', content: text('c') },
        { path: 'empty' },
      ],
      { wrap: 'always' },
    )
    expect(result.cid.equals(again.cid)).toBe(true)
    // a, c, b, empty, the wrapper.
    expect(result.blocks).toBe(5)
    expect(result.contentBytes).toBe(2)
  })

  it('normalises paths like a shell would (., //, leading /)', async () => {
    const plain = await createUnixfsImporter({ blockstore: new MemoryBlockstore() }).addAll([
      { path: 'd/x/y.txt', content: text('y') },
    ])
    const messy = await createUnixfsImporter({ blockstore: new MemoryBlockstore() }).addAll([
      { path: '/d/./x//y.txt', content: text('y') },
    ])
    expect(messy.cid.equals(plain.cid)).toBe(true)
  })

  it.each<[string, ImportEntry[]]>([
    ['a parent path', [{ path: 'a/../b', content: text('x') }]],
    ['an empty path', [{ path: '/./', content: text('x') }]],
    ['a NUL character', [{ path: 'a\0b', content: text('x') }]],
    [
      'a duplicate file',
      [
        { path: 'd/a', content: text('1') },
        { path: 'd/a', content: text('2') },
      ],
    ],
    [
      'a file used as a directory',
      [
        { path: 'd/a', content: text('1') },
        { path: 'd/a/b', content: text('2') },
      ],
    ],
    [
      'a directory given as a file',
      [
        { path: 'd/a/b', content: text('1') },
        { path: 'd/a', content: text('2') },
      ],
    ],
    ['no entries', []],
  ])('refuses %s and keeps nothing', async (_name, entries) => {
    const blockstore = new MemoryBlockstore()
    const unixfs = createUnixfsImporter({ blockstore })
    await expect(unixfs.addAll(entries)).rejects.toBeInstanceOf(InvalidImportError)
    expect(blockstore.blocks.size).toBe(0)
  })
})
