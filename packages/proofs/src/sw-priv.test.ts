import { describe, expect, it } from 'vitest'
import { collectBlocks, createChunkReader } from './chunks.js'
import { tagSourceFromBatches } from './descriptor.js'
import { swPrivChallenge, swPrivCreateKey, swPrivProve, swPrivTag } from './sw-priv.js'
import { makeDag } from '../test/helpers.js'

describe('sw-priv', () => {
  it('honest proof verifies', async () => {
    const keyId = new TextEncoder().encode('k1')
    const key = swPrivCreateKey({ keyId, sectors: 4 })
    const dag = makeDag('a', [100, 7, 300])
    const { manifest, source } = await collectBlocks(dag.root, dag.blocks, 124)
    const chunks = createChunkReader(manifest, source)
    const tagged = await swPrivTag(key.taSecret, keyId, manifest, chunks)
    const { challenge, validator } = swPrivChallenge(
      { keyId, publicSetup: key.publicSetup, ownerSecret: key.ownerSecret!, descriptors: [tagged.descriptor] },
      { c: 2 },
    )
    const tags = tagSourceFromBatches(tagged.tagBatches, 'sw-priv', 32, manifest.root)
    const proof = await swPrivProve(key.proverSetup, [{ descriptor: tagged.descriptor, tags, chunks }], challenge)
    expect(await validator.verify(challenge, proof)).toEqual({ ok: true })
  })
})
