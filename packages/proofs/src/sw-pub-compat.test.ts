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
    const root: CompatProverRoot = {
      cid: manifest.root,
      count: sb.count,
      tag: (i) => tags[i]!,
      read: (i) => sb.read(i),
    }
    const challenge = compatBuildChallenge([root], sb.count)
    const proof = await compatProve(key.clientSetup, [root], challenge)
    expect(compatVerify(key.clientSetup, [root], challenge, proof)).toEqual({ ok: true })
  })
})

describe('sw-pub bn254-compat rejections', () => {
  it('a flipped super-block, a tampered setup or proof fail; c above n is refused', async () => {
    const key = compatCreateKey({ sectors: 2, random: seededRandom('compat2') })
    const dag = makeDag('compat2', [70, 5])
    const { manifest, source } = await collectBlocks(dag.root, dag.blocks, 62)
    const sb = compatSuperBlocks(manifest, source, 62)
    const tags = await compatTag(key.secret, key.clientSetup, manifest.root, sb)
    const honest: CompatProverRoot = {
      cid: manifest.root,
      count: sb.count,
      tag: (i) => tags[i]!,
      read: (i) => sb.read(i),
    }
    const flipped: CompatProverRoot = {
      ...honest,
      read: async (i) => {
        const b = (await sb.read(i)).slice()
        if (i === 1) b[3]! ^= 4
        return b
      },
    }
    const challenge = compatBuildChallenge([honest], sb.count)
    const bad = await compatProve(key.clientSetup, [flipped], challenge)
    expect(compatVerify(key.clientSetup, [honest], challenge, bad)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    })
    const proof = await compatProve(key.clientSetup, [honest], challenge)
    const setup = JSON.parse(new TextDecoder().decode(key.clientSetup)) as { u: string[] }
    setup.u[0] = setup.u[1]!
    const swapped = new TextEncoder().encode(JSON.stringify(setup))
    expect(compatVerify(swapped, [honest], challenge, proof).ok).toBe(false)
    expect(compatVerify(key.clientSetup, [honest], challenge, proof.subarray(0, 20))).toMatchObject(
      { reason: 'malformed' },
    )
    expect(() => compatBuildChallenge([honest], sb.count + 1)).toThrow(RangeError)
    const subset = { ...honest, count: sb.count - 1 }
    expect(compatVerify(key.clientSetup, [subset], challenge, proof)).toMatchObject({
      ok: false,
      reason: 'malformed',
    })
  })
})
