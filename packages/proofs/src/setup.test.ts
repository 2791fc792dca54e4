// Tampered setups and service signatures (storage-proofs.md §2.8, §4.1, §8.5): what an auditor can
// detect on its own, and what the pinned Ed25519 service key detects for everything else.
import { describe, expect, it } from 'vitest'
import { buildChallenge } from './api.js'
import { ProofFormatError } from './errors.js'
import { createSigningKey, openEnvelope, SignatureError, signFrame } from './signing.js'
import { protocolFixture, PROTOCOLS } from '../test/helpers.js'
import type { PublicSetup } from './types.js'

function fieldOffset(frame: Uint8Array, no: number): { at: number; len: number } {
  const view = new DataView(frame.buffer, frame.byteOffset)
  for (let at = 8; at < frame.length;) {
    const len = view.getUint32(at + 1)
    if (frame[at] === no) return { at: at + 5, len }
    at += 5 + len
  }
  throw new Error(`no field ${no}`)
}

describe('sw-pub setups are self-checking', () => {
  it('rejects a setup whose u_j or λ was changed', async () => {
    const fx = await protocolFixture('sw-pub', [[50]], 'tamper')
    const audit = fx.audit([0])
    const u = fieldOffset(fx.key.publicSetup, 5)
    const swapped = fx.key.publicSetup.slice()
    // Swap u_1 and u_2: both valid points, but not the hashes of λ at their positions.
    swapped.set(fx.key.publicSetup.subarray(u.at + 48, u.at + 96), u.at)
    swapped.set(fx.key.publicSetup.subarray(u.at, u.at + 48), u.at + 48)
    expect(() =>
      buildChallenge({ ...audit, publicSetup: swapped as PublicSetup }, { c: 1 }),
    ).toThrow(/tampered setup/)
    const lambda = fieldOffset(fx.key.publicSetup, 3)
    const otherName = fx.key.publicSetup.slice()
    otherName[lambda.at]! ^= 1
    expect(() =>
      buildChallenge({ ...audit, publicSetup: otherName as PublicSetup }, { c: 1 }),
    ).toThrow(ProofFormatError)
  })
})

describe.each(PROTOCOLS)('%s setup integrity', (protocol) => {
  it('a signed setup opens only unmodified and under the pinned key', async () => {
    const fx = await protocolFixture(protocol, [[40]], 'sig')
    const service = createSigningKey()
    const envelope = signFrame(service.secretKey, 'setup', fx.key.publicSetup)
    expect(openEnvelope(envelope, service.publicKey, 'setup')).toEqual(fx.key.publicSetup)
    const bad = envelope.slice()
    bad[fieldOffset(envelope, 2).at + 20]! ^= 1
    expect(() => openEnvelope(bad, service.publicKey, 'setup')).toThrow(SignatureError)
    expect(() => openEnvelope(envelope, createSigningKey().publicKey, 'setup')).toThrow(
      SignatureError,
    )
    expect(() => openEnvelope(envelope, service.publicKey, 'root')).toThrow(ProofFormatError)
    expect(() =>
      openEnvelope(envelope.subarray(0, envelope.length - 1), service.publicKey, 'setup'),
    ).toThrow(ProofFormatError)
  })

  it('a truncated or re-kinded setup is malformed', async () => {
    const fx = await protocolFixture(protocol, [[40]], 'trunc')
    const audit = fx.audit([0])
    const cut = fx.key.publicSetup.subarray(0, fx.key.publicSetup.length - 3) as PublicSetup
    expect(() =>
      buildChallenge({ ...audit, publicSetup: cut }, { c: 1, bjo: { used: 0 } }),
    ).toThrow(ProofFormatError)
    expect(() =>
      buildChallenge(
        { ...audit, publicSetup: fx.key.proverSetup as never },
        { c: 1, bjo: { used: 0 } },
      ),
    ).toThrow(ProofFormatError)
  })
})
