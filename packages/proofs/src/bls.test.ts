// sw-pub's curve layer (storage-proofs.md §4.1, §8.2, §8.5): the RFC 9380 vectors through our
// hash wrapper, and strict decoding of points (off-curve, off-subgroup, identity, wrong length).
import { bls12_381 } from '@noble/curves/bls12-381.js'
import { describe, expect, it } from 'vitest'
import { decodeG1, decodeG2, G1, G2, hashToG1 } from './bls.js'
import { ProofFormatError } from './errors.js'
import { modPow } from './modarith.js'
import vectors from '../test/vectors/rfc9380-bls12381g1.json' with { type: 'json' }

describe('BLS12-381 G1 hash_to_curve', () => {
  it.each(vectors.cases)('matches RFC 9380 J.9.1 for msg "$msg"', ({ msg, x, y }) => {
    const p = hashToG1(new TextEncoder().encode(msg), vectors.dst).toAffine()
    expect(p.x.toString(16).padStart(96, '0')).toBe(x)
    expect(p.y.toString(16).padStart(96, '0')).toBe(y)
  })
})

// A point on E(Fp): y² = x³ + 4 outside the order-r subgroup (the cofactor is not cleared).
function offSubgroupPoint(): Uint8Array {
  const p = bls12_381.fields.Fp.ORDER
  for (let x = 1n; ; x++) {
    const rhs = (x * x * x + 4n) % p
    if (modPow(rhs, (p - 1n) / 2n, p) !== 1n) continue
    const y = modPow(rhs, (p + 1n) / 4n, p)
    const pt = G1.fromAffine({ x, y })
    if (!pt.isTorsionFree()) {
      // ZCash compressed form: x with the compression flag and the sign of y in the top bits.
      const bytes = hexToBytes(x.toString(16).padStart(96, '0'))
      bytes[0]! |= 0x80 | (y > p - y ? 0x20 : 0)
      return bytes
    }
  }
}

function hexToBytes(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)))
}

describe('point decoding', () => {
  it('accepts valid points and rejects identity, off-curve, off-subgroup and bad lengths', () => {
    const g = G1.BASE.multiply(7n)
    expect(decodeG1(g.toBytes(true), 'p').equals(g)).toBe(true)
    expect(() => decodeG1(G1.ZERO.toBytes(true), 'p')).toThrow(/identity/)
    const offCurve = g.toBytes(true).slice()
    offCurve[47]! ^= 1
    expect(() => decodeG1(offCurve, 'p')).toThrow(ProofFormatError)
    expect(() => decodeG1(offSubgroupPoint(), 'p')).toThrow(ProofFormatError)
    expect(() => decodeG1(g.toBytes(false), 'p')).toThrow(/48 bytes/)
    expect(() => decodeG2(G2.ZERO.toBytes(true), 'v')).toThrow(/identity/)
    expect(decodeG2(G2.BASE.toBytes(true), 'v').equals(G2.BASE)).toBe(true)
  })
})
