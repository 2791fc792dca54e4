// From blocks to chunks (storage-proofs.md §2.2, §8.3 edge cases): canonical order, dedup, the
// zero-padded last chunk, T = 1, T a multiple of Z, zero-length blocks, and the chunk id.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { blockIds, chunkId, collectBlocks, createChunkReader, createManifest } from './chunks.js'
import { compareBytes, concat, toHex } from './bytes.js'
import { makeDag } from '../test/helpers.js'

describe('manifest and chunk reader', () => {
  it('chunks are the CID-sorted concatenation, zero-padded, whatever the block sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: 90 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 64 }),
        async (sizes, z) => {
          const dag = makeDag(`chunks/${sizes.join('.')}`, sizes)
          const { manifest, source } = await collectBlocks(
            dag.root,
            [...dag.blocks, dag.blocks[0]!],
            z,
          )
          const sorted = [...dag.blocks].sort((a, b) => compareBytes(a.cid.bytes, b.cid.bytes))
          const stream = concat(...sorted.map((b) => b.bytes))
          expect(manifest.totalBytes).toBe(stream.length)
          expect(manifest.chunkCount).toBe(Math.max(1, Math.ceil(stream.length / z)))
          expect(blockIds(manifest)).toEqual(sorted.map((b) => b.cid.toString()))
          const reader = createChunkReader(manifest, source)
          const padded = new Uint8Array(manifest.chunkCount * z)
          padded.set(stream)
          for (let i = 0; i < manifest.chunkCount; i++) {
            expect(toHex(await reader.chunk(i))).toBe(toHex(padded.subarray(i * z, (i + 1) * z)))
          }
        },
      ),
      { numRuns: 40 },
    )
  })

  it('handles T = 1, T = kZ and an empty DAG', async () => {
    for (const [sizes, z, count] of [
      [[1], 31, 1],
      [[31, 31], 31, 2],
      [[0], 31, 1],
    ] as const) {
      const dag = makeDag('edge', sizes)
      const { manifest, source } = await collectBlocks(dag.root, dag.blocks, z)
      expect(manifest.chunkCount).toBe(count)
      expect((await createChunkReader(manifest, source).chunk(count - 1)).length).toBe(z)
    }
  })

  it('rejects out-of-range chunks, blocks of the wrong size and conflicting sizes', async () => {
    const dag = makeDag('bad', [10])
    const manifest = createManifest(dag.root.bytes, [{ cid: dag.blocks[0]!.cid, size: 11 }], 8)
    const reader = createChunkReader(manifest, { get: () => dag.blocks[0]!.bytes })
    await expect(reader.chunk(0)).rejects.toThrow(RangeError)
    await expect(reader.chunk(2)).rejects.toThrow(RangeError)
    expect(() =>
      createManifest(
        dag.root.bytes,
        [
          { cid: dag.root, size: 1 },
          { cid: dag.root, size: 2 },
        ],
        8,
      ),
    ).toThrow(RangeError)
  })

  it('chunk ids bind root and index', () => {
    expect(toHex(chunkId(new Uint8Array([0xab]), 2))).toBe(
      '504e4331' + '00000001ab' + '0000000000000002',
    )
  })
})
