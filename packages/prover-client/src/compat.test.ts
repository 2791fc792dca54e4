// Auditing with the original product's sw-pub wire (BN254, JSON).
import { createHash } from 'node:crypto'
import {
  collectBlocks,
  compatCreateKey,
  compatProve,
  compatSuperBlocks,
  compatTag,
} from '@pinion/proofs'
import { describe, expect, it } from 'vitest'
import { buildCompatChallenge, SetupError } from './index.js'

describe('buildCompatChallenge', () => {
  it('verifies an honest compat proof, rejects a flipped one and a broken setup', async () => {
    const key = compatCreateKey({ sectors: 2 })
    const bytes = new TextEncoder().encode('compat block '.repeat(7))
    const raw = new Uint8Array([
      1,
      0x55,
      0x12,
      0x20,
      ...createHash('sha256').update(bytes).digest(),
    ])
    const cid = { bytes: raw, toString: () => Buffer.from(raw).toString('hex') }
    const { manifest, source } = await collectBlocks(cid, [{ cid, bytes }], 62)
    const sb = compatSuperBlocks(manifest, source, 62)
    const tags = await compatTag(key.secret, key.clientSetup, raw, sb)
    const root = { cid: raw, count: sb.count }
    const { challenge, validator } = buildCompatChallenge(
      Buffer.from(key.clientSetup).toString('base64'),
      [root],
      2,
    )
    const proof = await compatProve(
      key.clientSetup,
      [{ ...root, tag: (i) => tags[i]!, read: (i) => sb.read(i) }],
      challenge,
    )
    expect(await validator.verify(challenge, proof)).toEqual({ ok: true })
    const parsed = JSON.parse(new TextDecoder().decode(proof)) as { mu: string[] }
    const mu0 = Buffer.from(parsed.mu[0]!, 'base64')
    mu0[31]! ^= 1
    parsed.mu[0] = mu0.toString('base64')
    const flipped = new TextEncoder().encode(JSON.stringify(parsed))
    expect(await validator.verify(challenge, flipped)).toEqual({ ok: false, reason: 'mismatch' })
    expect(() =>
      buildCompatChallenge(new TextEncoder().encode('{"protocol":"swpub"}'), [root], 1),
    ).toThrow(SetupError)
  }, 60_000)
})
