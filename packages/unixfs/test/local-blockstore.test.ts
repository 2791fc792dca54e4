import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { blockstoreSchema, createBlockstore, type Blockstore } from '@pinion/blockstore'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUnixfsImporter } from '../src/index.js'
import { deterministicBytes, text } from './helpers/memory-blockstore.js'

// The real local backend (a temporary folder): what the upload service writes through.
let path: string
let blockstore: Blockstore

beforeAll(async () => {
  path = await mkdtemp(join(tmpdir(), 'pinion-unixfs-'))
  blockstore = createBlockstore(blockstoreSchema.parse({ BLOCKSTORE_PATH: path }), {
    logger: pino({ level: 'silent' }),
  })
  await blockstore.start()
})
afterAll(async () => {
  await blockstore.stop()
  await rm(path, { recursive: true, force: true })
})

describe('@pinion/unixfs on the local blockstore', () => {
  it('stores the whole DAG of a multi-level file, readable at once', async () => {
    const unixfs = createUnixfsImporter({ blockstore })
    // 175 chunks: one more than a node holds, so the DAG has two levels.
    const size = 175 * 262_144 + 1
    const result = await unixfs.addFile(deterministicBytes(size, 'pinion'))
    expect(result.contentBytes).toBe(size)
    const dag = await blockstore.dagSize(result.cid)
    expect(dag.blocks).toBe(result.blocks)
    expect(dag.bytes).toBe(result.bytes)
    const root = await blockstore.get(result.cid)
    expect(root.length).toBeGreaterThan(0)
  })

  it('leaves nothing visible when the source fails half-way', async () => {
    const unixfs = createUnixfsImporter({ blockstore })
    const before = await blockstore.has((await unixfs.addFile(text('canary'))).cid)
    expect(before).toBe(true)
    async function* failing() {
      yield* deterministicBytes(3 * 262_144, 'never stored')
      throw new Error('cut')
    }
    await expect(unixfs.addFile(failing())).rejects.toThrow('cut')
    const staging = await readdir(join(path, 'tmp'))
    expect(staging).toEqual([])
    const leaves = createUnixfsImporter({
      blockstore: { putMany: async () => ({ blocks: 0, bytes: 0 }) },
    })
    const first = await leaves.addFile(deterministicBytes(262_144, 'never stored'))
    expect(await blockstore.has(first.cid)).toBe(false)
  })

  it('builds a directory tree whose blocks all export as a CAR', async () => {
    const unixfs = createUnixfsImporter({ blockstore })
    const result = await unixfs.addAll([
      { path: 'site/index.html', content: text('<h1>hi</h1>') },
      { path: 'site/assets/app.js', content: deterministicBytes(300_000, 'app') },
      { path: 'site/empty' },
    ])
    let exported = 0
    for await (const chunk of blockstore.exportCar(result.cid)) exported += chunk.length
    expect(exported).toBeGreaterThan(300_000)
    expect((await blockstore.dagSize(result.cid)).blocks).toBe(result.blocks)
  })
})
