import { describe, expect, it } from 'vitest'
import { collectBlocks } from './chunks.js'
import {
  compatBuildChallenge,
  compatCreateKey,
  compatProve,
  compatSuperBlocks,
  compatTag,
  compatVerify,
  type CompatProverRoot,
} from './sw-pub-compat.js'
import { makeDag, seededRandom } from '../test/helpers.js'

describe('sw-pub bn254-compat', () => {
  it('honest proof verifies; flipped data fails', async () => {
    const key = compatCreateKey({ sectors: 4, random: seededRandom('compat') })
    const dag = makeDag('compat', [64, 200, 10])
    const { manifest, source } = await collectBlocks(dag.root, dag.blocks, 124)
    const sb = compatSuperBlocks(manifest, source, 124)
    const tags = await compatTag(key.secret, key.clientSetup, manifest.root, sb)
    const root: CompatProverRoot = { cid: manifest.root, count: sb.count, tag: (i) => tags[i]!, read: (i) => sb.read(i) }
    const challenge = compatBuildChallenge([root], sb.count)
    const proof = await compatProve(key.clientSetup, [root], challenge)
    expect(compatVerify(key.clientSetup, [root], challenge, proof)).toEqual({ ok: true })
  })
})
