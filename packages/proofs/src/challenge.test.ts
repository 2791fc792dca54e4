// Challenge derivation and limits (storage-proofs.md §2.3–2.6).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  challengeContext,
  challengeSummary,
  decodeChallenge,
  derivePositions,
  encodeChallenge,
  locate,
  MAX_C,
  smallCoefficients,
} from './challenge.js'
import { encodeFrame, FrameKind } from './frame.js'
import { ProofFormatError } from './errors.js'
import { lp, u32, u64, concat } from './bytes.js'
import { writeList } from './values.js'

const keyId = new Uint8Array([1, 2, 3])
const A = { cid: new Uint8Array([0xa]), count: 3 }
const B = { cid: new Uint8Array([0xb]), count: 5 }

describe('positions', () => {
  it('are c distinct positions in [0, n); all in natural order when c = n', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 500 }),
        fc.nat(),
        (key, n, cPick) => {
          const c = 1 + (cPick % n)
          const p = derivePositions(key, c, n)
          expect(new Set(p).size).toBe(c)
          expect(p.every((x) => x >= 0 && x < n)).toBe(true)
          if (c === n) expect(p).toEqual(Array.from({ length: n }, (_, i) => i))
        },
      ),
    )
  })

  it('maps global positions onto the ordered root list', () => {
    expect(locate([A, B], 2)).toEqual({ root: 0, index: 2 })
    expect(locate([A, B], 3)).toEqual({ root: 1, index: 0 })
    expect(() => locate([A, B], 8)).toThrow(RangeError)
  })

  it('128-bit coefficients are never zero', () => {
    expect(smallCoefficients(new Uint8Array(32), 50).every((a) => a >= 1n && a <= 1n << 128n)).toBe(
      true,
    )
  })
})

describe('context binding', () => {
  it('differs for reordered, dropped or recounted roots and for another key', () => {
    const base = challengeContext('sw-priv', 1, keyId, [A, B])
    const others = [
      challengeContext('sw-priv', 1, keyId, [B, A]),
      challengeContext('sw-priv', 1, keyId, [A]),
      challengeContext('sw-priv', 1, keyId, [A, { ...B, count: 6 }]),
      challengeContext('sw-priv', 1, new Uint8Array([9]), [A, B]),
      challengeContext('sw-pub', 1, keyId, [A, B]),
    ]
    for (const o of others) expect(o).not.toEqual(base)
  })
})

describe('challenge frames', () => {
  const common = { keyId, seed: new Uint8Array(32), c: 4, roots: [A, B], n: 8 }

  it('round-trip', () => {
    const { common: back } = decodeChallenge(
      encodeChallenge('sw-priv', 1, common, []),
      'sw-priv',
      [1],
      [],
    )
    expect(back).toEqual(common)
  })

  it('refuse an oversized c on both sides', () => {
    expect(() => encodeChallenge('sw-priv', 1, { ...common, c: 9 }, [])).toThrow(ProofFormatError)
    const big = { cid: new Uint8Array([1]), count: MAX_C + 10 }
    expect(() =>
      encodeChallenge('sw-priv', 1, { ...common, roots: [big], n: big.count, c: MAX_C + 1 }, []),
    ).toThrow(/limit/)
    // A hand-made frame with c > 100 000 must be refused by the decoder too.
    const frame = encodeFrame(FrameKind.challenge, 1, 1, [
      [1, keyId],
      [2, new Uint8Array(32)],
      [3, u32(MAX_C + 1)],
      [4, writeList([concat(lp(big.cid), u64(big.count))])],
      [5, u64(big.count)],
    ])
    expect(() => decodeChallenge(frame, 'sw-priv', [1], [])).toThrow(/limit/)
  })

  it('refuse n ≠ Σ count, zero counts and a missing seed', () => {
    expect(() => encodeChallenge('sw-priv', 1, { ...common, n: 9 }, [])).toThrow(/sum/)
    expect(() =>
      encodeChallenge('sw-priv', 1, { ...common, roots: [{ ...A, count: 0 }, B], n: 5 }, []),
    ).toThrow(ProofFormatError)
    const { seed: _seed, ...noSeed } = common
    expect(() => encodeChallenge('sw-priv', 1, noSeed, [])).toThrow(/seed/)
  })
})

describe('challengeSummary', () => {
  it('reads the common fields of any protocol without its protocol fields', () => {
    const seed = new Uint8Array(32).fill(7)
    const frame = encodeChallenge('ateniese', 2, { keyId, seed, c: 4, roots: [A, B], n: 8 }, [
      [0x10, new Uint8Array(256)],
    ])
    expect(challengeSummary(frame)).toMatchObject({
      protocol: 'ateniese',
      suite: 2,
      keyId,
      c: 4,
      n: 8,
      roots: [A, B],
    })
  })

  it('throws ProofFormatError for a truncated frame or another kind', () => {
    const frame = encodeChallenge(
      'sw-priv',
      1,
      { keyId, seed: new Uint8Array(32), c: 1, roots: [A], n: 3 },
      [],
    )
    expect(() => challengeSummary(frame.subarray(0, frame.length - 1))).toThrow(ProofFormatError)
    expect(() => challengeSummary(encodeFrame(FrameKind.proof, 1, 1, []))).toThrow(ProofFormatError)
  })
})
