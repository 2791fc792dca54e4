// The outer code (storage-proofs.md §8.2): GF(2⁸) arithmetic under the AES polynomial, and RS(255,223)
// encode followed by erasure decoding with up to 32 erasures per stripe.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { gfMul, rsDecode, rsEncode, RS_K } from './gf256-rs.js'

describe('GF(2^8) with 0x11B', () => {
  it('matches the FIPS-197 §4.2 example {57}·{83} = {c1} and {57}·{13} = {fe}', () => {
    expect(gfMul(0x57, 0x83)).toBe(0xc1)
    expect(gfMul(0x57, 0x13)).toBe(0xfe)
  })
})

describe('RS(255, 223)', () => {
  it('recovers the message from any ≤ 32 erasures', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: RS_K }),
        fc.uniqueArray(fc.nat({ max: 254 }), { maxLength: 32 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(),
        (k, erased, width, seed) => {
          const message = Array.from({ length: k }, (_, i) =>
            Uint8Array.from({ length: width }, (_, b) => (seed + 31 * i + 7 * b) & 0xff),
          )
          const parity = rsEncode(message)
          const codeword: (Uint8Array | undefined)[] = [
            ...message,
            ...Array.from({ length: RS_K - k }, () => new Uint8Array(width)),
            ...parity,
          ]
          for (const e of erased) codeword[e] = undefined
          const recovered = rsDecode(codeword, width)
          expect(recovered.slice(0, k)).toEqual(message)
        },
      ),
      { numRuns: 15 },
    )
  })

  it('refuses 33 erasures', () => {
    const codeword = Array.from({ length: 255 }, (_, i) => (i < 33 ? undefined : new Uint8Array(1)))
    expect(() => rsDecode(codeword, 1)).toThrow(RangeError)
  })
})
