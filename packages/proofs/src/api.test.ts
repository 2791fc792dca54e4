import { describe, expect, it } from 'vitest'
import { buildChallenge, createKey, prove, tagDag, tagSource } from './api.js'
import { bjoEncodedChunks } from './bjo.js'
import { createChunkReader, collectBlocks } from './chunks.js'
import type { ProtocolName } from './frame.js'
import { frozenSafePrimes, makeDag, seededRandom } from '../test/helpers.js'
import type { CreatedKey, ProverRoot } from './types.js'

const keyId = new TextEncoder().encode('key-1')

async function setup(protocol: ProtocolName, sizes: number[][]) {
  const key: CreatedKey = await createKey(protocol, {
    keyId,
    suite: protocol === 'ateniese' || protocol === 'erway' ? 2 : 1,
    sectors: 4,
    sentinels: 5,
    challengeSize: 8,
    random: seededRandom(protocol),
    safePrime: frozenSafePrimes(),
  })
  const roots = []
  for (const [i, s] of sizes.entries()) {
    const dag = makeDag(`${protocol}/${i}`, s)
    const tagged = await tagDag({ keyId, taSecret: key.taSecret, publicSetup: key.publicSetup, root: dag.root, blocks: dag.blocks })
    const { source } = await collectBlocks(dag.root, dag.blocks, tagged.manifest.chunkSize)
    const file = createChunkReader(tagged.manifest, source)
    const chunks = protocol === 'bjo' ? bjoEncodedChunks(tagged.descriptor, file, tagged.sidecar!) : file
    const pr: ProverRoot = { descriptor: tagged.descriptor, tags: tagSource(key.proverSetup, tagged.descriptor, tagged.tagBatches), chunks }
    roots.push(pr)
  }
  return { key, roots }
}

describe.each(['sw-priv', 'sw-pub', 'ateniese', 'erway', 'bjo'] as const)('%s round trip', (protocol) => {
  it('honest proof verifies', async () => {
    const { key, roots } = await setup(protocol, protocol === 'bjo' ? [[100, 40]] : [[100, 40], [300]])
    const audit = { keyId, publicSetup: key.publicSetup, ...(key.ownerSecret ? { ownerSecret: key.ownerSecret } : {}), descriptors: roots.map((r) => r.descriptor) }
    const built = buildChallenge(audit, { c: 2, bjo: { used: 0 } })
    const proof = await prove(key.proverSetup, roots, built.challenge)
    expect(await built.validator.verify(built.challenge, proof)).toEqual({ ok: true })
  }, 60_000)
})
