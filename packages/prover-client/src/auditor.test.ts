// The client's contract: honest proofs verify; tampered setups, foreign descriptors, bad signatures,
// flipped or truncated proofs are reported with the right reason; bjo's bound survives a restart.
import { createHash, generatePrimeSync } from 'node:crypto'
import {
  bjoEncodedChunks,
  ChallengesExhaustedError,
  collectBlocks,
  createChunkReader,
  createKey,
  createSigningKey,
  prove,
  signFrame,
  tagDag,
  tagSource,
  type CidLike,
  type ProtocolName,
} from '@pinion/proofs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createAuditor, SetupError } from './index.js'

function cid(bytes: Uint8Array): CidLike {
  const raw = new Uint8Array([1, 0x55, 0x12, 0x20, ...createHash('sha256').update(bytes).digest()])
  return { bytes: raw, toString: () => Buffer.from(raw).toString('hex') }
}

const service = createSigningKey()
const keyId = 'client-test-key'
const enc = new TextEncoder()

async function server(protocol: ProtocolName) {
  const key = await createKey(protocol, {
    keyId: enc.encode(keyId),
    suite: protocol === 'ateniese' || protocol === 'erway' ? 2 : 1,
    sectors: 4,
    sentinels: 3,
    challengeSize: 64,
    safePrime: (bits) => generatePrimeSync(bits, { safe: true, bigint: true }),
  })
  const blocks = [enc.encode('hello pinion '.repeat(9)), enc.encode('second block')].map(
    (bytes) => ({ cid: cid(bytes), bytes }),
  )
  const tagged = await tagDag({
    keyId: enc.encode(keyId),
    taSecret: key.taSecret,
    publicSetup: key.publicSetup,
    root: blocks[0]!.cid,
    blocks,
  })
  const { source } = await collectBlocks(blocks[0]!.cid, blocks, tagged.manifest.chunkSize)
  const file = createChunkReader(tagged.manifest, source)
  const chunks =
    protocol === 'bjo' ? bjoEncodedChunks(tagged.descriptor, file, tagged.sidecar!) : file
  const proverRoot = {
    descriptor: tagged.descriptor,
    tags: tagSource(key.proverSetup, tagged.descriptor, tagged.tagBatches),
    chunks,
  }
  return {
    key,
    tagged,
    response: {
      keyId,
      clientSetup: Buffer.from(signFrame(service.secretKey, 'setup', key.publicSetup)).toString(
        'base64',
      ),
      ...(key.ownerSecret ? { ownerSecret: Buffer.from(key.ownerSecret).toString('base64') } : {}),
      rootDescriptors: [signFrame(service.secretKey, 'root', tagged.descriptor)],
      blockIds: [tagged.blockIds],
      servicePublicKey: service.publicKey,
    },
    prove: (challenge: Uint8Array) => prove(key.proverSetup, [proverRoot], challenge),
  }
}

describe.each(['sw-priv', 'sw-pub', 'ateniese', 'erway', 'bjo'] as const)(
  '%s auditor',
  (protocol) => {
    let s: Awaited<ReturnType<typeof server>>
    beforeAll(async () => {
      s = await server(protocol)
    }, 60_000)

    it('verifies an honest proof and rejects a flipped or truncated one', async () => {
      const auditor = createAuditor(s.response)
      expect(auditor.protocol).toBe(protocol)
      const { challenge, validator } = auditor.buildChallenge({ c: 1, bjoState: { used: 0 } })
      const proof = await s.prove(challenge)
      expect(await validator.verify(challenge, proof)).toEqual({ ok: true })
      const flipped = proof.slice()
      flipped[flipped.length - 3]! ^= 0x10
      expect((await validator.verify(challenge, flipped)).ok).toBe(false)
      expect(await validator.verify(challenge, proof.subarray(0, 10))).toEqual({
        ok: false,
        reason: 'malformed',
      })
      const other = auditor.buildChallenge({ c: 1, bjoState: { used: 1 } })
      expect(await other.validator.verify(challenge, proof)).toEqual({
        ok: false,
        reason: 'mismatch',
      })
    }, 60_000)

    it('detects a tampered client_setup and descriptors not signed by the pinned key', () => {
      const setup = Buffer.from(s.response.clientSetup, 'base64')
      setup[setup.length - 70]! ^= 1
      expect(() => createAuditor({ ...s.response, clientSetup: setup })).toThrow(SetupError)
      try {
        createAuditor({ ...s.response, clientSetup: setup })
      } catch (e) {
        expect((e as SetupError).reason).toBe('untrusted-setup')
      }
      const forged = signFrame(createSigningKey().secretKey, 'root', s.tagged.descriptor)
      expect(() => createAuditor({ ...s.response, rootDescriptors: [forged] })).toThrow(/pinned/)
      expect(() =>
        createAuditor({ ...s.response, rootDescriptors: [s.tagged.descriptor] }),
      ).toThrow(SetupError)
      expect(() => createAuditor({ ...s.response, keyId: 'another-key' })).toThrow(SetupError)
      expect(() => createAuditor({ ...s.response, clientSetup: 'not base64!' })).toThrow(SetupError)
    })
  },
)

describe('bjo through the client', () => {
  it('refuses past Q, also for an auditor rebuilt from the persisted count', async () => {
    const s = await server('bjo')
    let persisted = { used: 0 }
    for (let i = 0; i < 3; i++) {
      const { challenge, validator, bjoState } = createAuditor(s.response).buildChallenge({
        c: 1,
        bjoState: persisted,
      })
      persisted = bjoState!
      expect(await validator.verify(challenge, await s.prove(challenge))).toEqual({ ok: true })
    }
    expect(() => createAuditor(s.response).buildChallenge({ c: 1, bjoState: persisted })).toThrow(
      ChallengesExhaustedError,
    )
  }, 60_000)
})

describe('sw-pub without a pinned key', () => {
  it('still detects generators that are not hashed from λ', async () => {
    const s = await server('sw-pub')
    const setup = s.key.publicSetup.slice()
    setup[setup.length - 1]! ^= 1
    try {
      createAuditor({ keyId, clientSetup: setup, rootDescriptors: [s.tagged.descriptor] })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(SetupError)
    }
  }, 60_000)
})
