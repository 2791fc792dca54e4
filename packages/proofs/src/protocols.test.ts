// Properties every protocol must have (storage-proofs.md §8.3–8.6): honest proofs verify, a flipped
// byte in a challenged chunk fails, tampered or truncated proofs fail (as `malformed` when the frame
// is broken), and the ordered root list, key, seed and counts are bound into the proof.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildChallenge, prove } from './api.js'
import { ProofFormatError } from './errors.js'
import type { ProtocolName } from './frame.js'
import { protocolFixture, PROTOCOLS, type ProtocolFixture } from '../test/helpers.js'

// Runs per property: pure-BigInt RSA proofs cost ~1 s each at |N| = 2048 and sw-pub tagging a few
// ms per 31 bytes, so the heavy protocols get fewer runs (CI budget, not weaker properties).
const RUNS: Record<ProtocolName, number> = {
  'sw-priv': 20,
  'sw-pub': 3,
  ateniese: 2,
  erway: 3,
  bjo: 8,
}
const multiRoot = (p: ProtocolName): boolean => p !== 'bjo'

const fixtures = new Map<ProtocolName, Promise<ProtocolFixture>>()
function fixture(p: ProtocolName): Promise<ProtocolFixture> {
  let f = fixtures.get(p)
  if (!f) {
    // Two roots: A spans several blocks incl. an empty one; B is a single small block.
    f = protocolFixture(p, multiRoot(p) ? [[90, 0, 61, 33], [40]] : [[150, 0, 61]])
    fixtures.set(p, f)
  }
  return f
}

describe.each(PROTOCOLS)('%s', (protocol) => {
  const order = multiRoot(protocol) ? [0, 1] : [0]

  it('an honest proof over arbitrary DAGs verifies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: 300 }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        async (sizes, cPick) => {
          const fx = await protocolFixture(protocol, [sizes], `honest-${sizes.join('.')}`)
          const n = fx.roots[0]!.tagged.manifest.chunkCount
          const { verify } = await fx.round([0], { c: 1 + (cPick % n) })
          expect(await verify()).toEqual({ ok: true })
        },
      ),
      { numRuns: RUNS[protocol] },
    )
  }, 120_000)

  it('a flipped byte in a challenged chunk makes verification fail', async () => {
    const fx = await fixture(protocol)
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.nat(), async (rootPick, chunkPick, byte) => {
        const root = order[rootPick % order.length]!
        const chunk = chunkPick % fx.roots[root]!.count
        const { verify } = await fx.round(order, { corrupt: { root, chunk, byte } })
        const result = await verify()
        expect(result).toMatchObject({ ok: false, reason: 'mismatch' })
      }),
      { numRuns: RUNS[protocol] },
    )
  }, 120_000)

  it('flipping any byte of the proof is rejected, truncation as malformed', async () => {
    const fx = await fixture(protocol)
    const { proof, verify } = await fx.round(order, { c: 2 })
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: proof.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, mask) => {
          const bad = proof.slice()
          bad[at]! ^= mask
          expect((await verify(undefined, bad)).ok).toBe(false)
        },
      ),
      { numRuns: 3 * RUNS[protocol] },
    )
    for (const cut of [0, 7, 8, 12, proof.length - 1]) {
      expect(await verify(undefined, proof.subarray(0, cut))).toMatchObject({
        ok: false,
        reason: 'malformed',
      })
    }
    expect(await verify(undefined, new Uint8Array([...proof, 0]))).toMatchObject({
      ok: false,
      reason: 'malformed',
    })
  }, 120_000)

  // bjo challenges name one root (its own test covers refusing several), so this is multi-root only.
  if (multiRoot(protocol)) {
    it('binds the ordered root list: [A,B] does not verify as [B,A] or [A]', async () => {
      const fx = await fixture(protocol)
      const seed = new Uint8Array(32).fill(7)
      const { proof } = await fx.round([0, 1], { c: 2, seed })
      for (const other of [[1, 0], [0], [1]]) {
        const n = other.reduce((a, i) => a + fx.roots[i]!.count, 0)
        const built = buildChallenge(fx.audit(other), { c: Math.min(2, n), seed })
        expect((await built.validator.verify(built.challenge, proof)).ok).toBe(false)
      }
    }, 60_000)

    it('binds the seed and the key: a replayed proof fails, a foreign key id is refused', async () => {
      const fx = await fixture(protocol)
      const first = await fx.round(order, { c: 1, seed: new Uint8Array(32).fill(1), bjoUsed: 0 })
      const second = await fx.round(order, { c: 1, seed: new Uint8Array(32).fill(2), bjoUsed: 1 })
      expect((await second.verify(undefined, first.proof)).ok).toBe(false)
      const foreign = { ...fx.audit(order), keyId: new TextEncoder().encode('someone-else') }
      expect(() => buildChallenge(foreign, { c: 1, bjo: { used: 0 } })).toThrow(ProofFormatError)
    }, 60_000)
  }

  it('the prover refuses a challenge whose counts differ from its descriptors', async () => {
    const fx = await fixture(protocol)
    const { challenge } = await fx.round(order, { c: 1 })
    // Bump the last root's count and n by one (both u64 fields precede any 0x10+ field).
    const tampered = challenge.slice()
    const view = new DataView(tampered.buffer)
    let at = 8
    while (at < tampered.length) {
      const no = tampered[at]!
      const len = view.getUint32(at + 1)
      if (no === 0x04) view.setBigUint64(at + 5 + len - 8, view.getBigUint64(at + 5 + len - 8) + 1n)
      if (no === 0x05) view.setBigUint64(at + 5, view.getBigUint64(at + 5) + 1n)
      at += 5 + len
    }
    await expect(prove(fx.key.proverSetup, fx.proverRoots(), tampered)).rejects.toThrow(
      ProofFormatError,
    )
  }, 60_000)

  it('the prove path refuses a TA secret in place of the prover setup', async () => {
    const fx = await fixture(protocol)
    const { challenge } = await fx.round(order, { c: 1 })
    await expect(prove(fx.key.taSecret as never, fx.proverRoots(), challenge)).rejects.toThrow(
      ProofFormatError,
    )
  }, 60_000)
})
