import { randomBytes, randomUUID } from 'node:crypto'
import {
  buildChallenge,
  createManifest,
  type OwnerSecret,
  type PublicSetup,
  type RootDescriptor,
} from '@pinion/proofs'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { runProve } from './prove-task.js'
import { runCreateKey, runTag, type TaskEnvironment } from './tasks.js'

const env: TaskEnvironment = {
  sealKey: new Uint8Array(randomBytes(32)),
  safePrime: () => {
    throw new Error('not used by sw-priv')
  },
}

describe('tagging-authority and proving tasks', () => {
  it('create a key whose secret leaves sealed, tag a root, and prove with no secret', async () => {
    const keyId = randomUUID()
    const key = await runCreateKey(
      { kind: 'createKey', keyId, protocol: 'sw-priv', compat: false },
      env,
    )
    expect(key.ownerSecret).toBeDefined()
    const bytes = new Uint8Array(randomBytes(5000))
    const cid = CID.create(1, raw.code, await sha256.digest(bytes))
    const manifest = createManifest(cid.bytes, [{ cid, size: bytes.length }], 1984)
    const blocks = { get: () => bytes }
    const tagged = await runTag(
      {
        kind: 'tag',
        keyId,
        compat: false,
        sealedSecret: key.sealedSecret,
        clientSetup: key.clientSetup,
        manifest,
      },
      env,
      blocks,
    )
    expect(tagged.chunkCount).toBe(3)
    expect(tagged.batches).toEqual([{ first: 0, count: 3, frame: expect.any(Uint8Array) }])
    const { challenge, validator } = buildChallenge(
      {
        keyId: new TextEncoder().encode(keyId),
        publicSetup: key.clientSetup as PublicSetup,
        ownerSecret: key.ownerSecret as OwnerSecret,
        descriptors: [tagged.descriptor as RootDescriptor],
      },
      { c: 3 },
    )
    const { tagSource } = await import('@pinion/proofs')
    const tags = tagSource(key.proverSetup as never, tagged.descriptor as never, [
      tagged.batches[0]!.frame,
    ])
    const proof = await runProve(
      {
        kind: 'prove',
        compat: false,
        proverSetup: key.proverSetup,
        roots: [{ descriptor: tagged.descriptor!, manifest, chunkCount: 3 }],
        challenge,
      },
      { blocks, tag: async (_root, index) => tags.tag(index) },
    )
    expect(await validator.verify(challenge, proof)).toEqual({ ok: true })
  })

  it('refuse to tag with a secret sealed for another key id', async () => {
    const key = await runCreateKey(
      { kind: 'createKey', keyId: 'a', protocol: 'sw-priv', compat: false },
      env,
    )
    const cid = CID.create(1, raw.code, await sha256.digest(new Uint8Array(1)))
    await expect(
      runTag(
        {
          kind: 'tag',
          keyId: 'b',
          compat: false,
          sealedSecret: key.sealedSecret,
          clientSetup: key.clientSetup,
          manifest: createManifest(cid.bytes, [{ cid, size: 1 }], 1984),
        },
        env,
        { get: () => new Uint8Array(1) },
      ),
    ).rejects.toThrow(/does not open/)
  })
})
