import { createManifest } from '@pinion/proofs'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { decodeManifest, encodeManifest } from './manifest-codec.js'

async function cidOf(text: string) {
  return CID.create(1, raw.code, await sha256.digest(new TextEncoder().encode(text)))
}

describe('manifest codec', () => {
  it('round-trips the canonical block list and recomputes offsets and counts', async () => {
    const blocks = [
      { cid: await cidOf('a'), size: 100 },
      { cid: await cidOf('b'), size: 0 },
      { cid: await cidOf('c'), size: 5000 },
    ]
    const manifest = createManifest(blocks[0]!.cid.bytes, blocks, 1984)
    const decoded = decodeManifest(blocks[0]!.cid, encodeManifest(manifest), 1984)
    expect(decoded).toEqual(manifest)
    expect(decoded.chunkCount).toBe(3)
  })

  it('rejects a truncated list', async () => {
    const cid = await cidOf('a')
    const stored = encodeManifest(createManifest(cid.bytes, [{ cid, size: 1 }], 31))
    expect(() => decodeManifest(cid, stored.subarray(0, stored.length - 1), 31)).toThrow(
      /truncated/,
    )
  })
})
