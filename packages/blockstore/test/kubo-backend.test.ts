import { startKubo, type RunningKubo } from '@pinion/testing'
import { create } from 'kubo-rpc-client'
import { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BlockstoreUnavailableError } from '../src/index.js'
import { chunked, collect, completeFixtures, loadFixture } from './helpers/fixtures.js'
import { startBlockstore } from './helpers/subjects.js'

// What only the kubo backend has: Kubo's own view of what we wrote, and an unreachable Kubo.
describe('kubo backend', () => {
  let kubo: RunningKubo
  beforeAll(async () => {
    kubo = await startKubo()
  })
  afterAll(async () => {
    await kubo.stop()
  })

  it('leaves Kubo holding exactly the CIDs computed here (CIDv0, CIDv1, every codec)', async () => {
    const { blockstore, cleanup } = await startBlockstore({
      BLOCKSTORE: 'kubo',
      KUBO_RPC_URL: kubo.rpcUrl,
    })
    const client = create({ url: `${kubo.rpcUrl}/api/v0` })
    try {
      const { CarReader } = await import('@ipld/car')
      for (const { name, root } of completeFixtures) {
        const car = await loadFixture(root)
        await blockstore.importCar(chunked(car.bytes))
        // Kubo answers for each exact CID with the exact bytes.
        for (const block of car.blocks) {
          const theirs = await client.block.get(block.cid, { timeout: 5000 })
          expect(Buffer.from(theirs).equals(block.bytes)).toBe(true)
        }
        // js-ipfs cannot traverse the plain `cbor` codec (0x51) and exports nothing for it.
        if (name === 'plainCbor') continue
        // Kubo's own export (not ours) of the DAG holds the same blocks under the same CIDs.
        const reader = await CarReader.fromBytes(await collect(client.dag.export(CID.parse(root))))
        const theirs = new Set<string>()
        for await (const block of reader.blocks()) theirs.add(block.cid.toString())
        expect(theirs).toEqual(new Set(car.blocks.map((block) => block.cid.toString())))
      }
    } finally {
      await cleanup()
    }
  })

  it('starts without Kubo, reports unhealthy, and fails calls with BlockstoreUnavailableError', async () => {
    const { blockstore, cleanup } = await startBlockstore({
      BLOCKSTORE: 'kubo',
      KUBO_RPC_URL: 'http://127.0.0.1:9',
    })
    try {
      await expect(blockstore.healthCheck.check(AbortSignal.timeout(2000))).rejects.toThrow()
      const car = await loadFixture(completeFixtures[0]?.root ?? '')
      await expect(blockstore.get(car.roots[0] as CID)).rejects.toBeInstanceOf(
        BlockstoreUnavailableError,
      )
      await expect(blockstore.importCar(chunked(car.bytes))).rejects.toBeInstanceOf(
        BlockstoreUnavailableError,
      )
    } finally {
      await cleanup()
    }
  })
})
