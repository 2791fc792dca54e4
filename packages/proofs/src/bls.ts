/**
 * BLS12-381 helpers for sw-pub (storage-proofs.md §4.1): strict point codecs (on curve, in the
 * subgroup, identity rejected) and the two RFC 9380 hashes with the spec's DSTs.
 */
import { pippenger } from '@noble/curves/abstract/curve.js'
import { bls12_381 } from '@noble/curves/bls12-381.js'
import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js'
import { concat, lp, u16 } from './bytes.js'
import { ensureFormat, ProofFormatError } from './errors.js'

/** A G1 point. */
export type G1Point = WeierstrassPoint<bigint>
/** A G2 point. */
export type G2Point = ReturnType<typeof bls12_381.G2.Point.fromBytes>

/** The G1 point constructor. */
export const G1 = bls12_381.G1.Point
/** The G2 point constructor. */
export const G2 = bls12_381.G2.Point
/** The scalar field order r. */
export const BLS_R = bls12_381.fields.Fr.ORDER

/** DST of `Hname` (§4.1). */
export const DST_H = 'PINION-V1-SWPUB-H-BLS12381G1_XMD:SHA-256_SSWU_RO_'
/** DST of the `u_j` generators (§4.1). */
export const DST_U = 'PINION-V1-SWPUB-U-BLS12381G1_XMD:SHA-256_SSWU_RO_'

/** RFC 9380 hash_to_curve on G1 (BLS12381G1_XMD:SHA-256_SSWU_RO_) under `dst`. */
export function hashToG1(msg: Uint8Array, dst: string): G1Point {
  return bls12_381.G1.hashToCurve(msg, { DST: dst }) as G1Point
}

/** `Hname(λ, id)` = hash_to_curve(DST_H, LP(λ) ‖ id). */
export function hashName(lambda: Uint8Array, id: Uint8Array): G1Point {
  return hashToG1(concat(lp(lambda), id), DST_H)
}

/** `u_j` = hash_to_curve(DST_U, LP(λ) ‖ u16(j)), j = 1..s. */
export function generators(lambda: Uint8Array, s: number): G1Point[] {
  return Array.from({ length: s }, (_, i) => hashToG1(concat(lp(lambda), u16(i + 1)), DST_U))
}

/** Multi-scalar multiplication Σ scalars_i · points_i (zero scalars allowed). */
export function msm(points: readonly G1Point[], scalars: readonly bigint[]): G1Point {
  if (points.length === 0) return G1.ZERO
  return pippenger(G1, [...points], [...scalars])
}

function decodePoint<
  P extends { equals(o: P): boolean; assertValidity(): void; isTorsionFree(): boolean },
>(bytes: Uint8Array, width: number, fromBytes: (b: Uint8Array) => P, zero: P, what: string): P {
  ensureFormat(bytes.length === width, `${what}: expected ${width} bytes`)
  let p: P
  try {
    p = fromBytes(bytes)
    p.assertValidity()
  } catch (e) {
    if (e instanceof ProofFormatError) throw e
    throw new ProofFormatError(`${what}: not a valid compressed point`)
  }
  ensureFormat(p.isTorsionFree(), `${what}: not in the prime-order subgroup`)
  ensureFormat(!p.equals(zero), `${what}: identity point`)
  return p
}

/** Decodes a compressed G1 point (48 bytes); throws {@link ProofFormatError} if off-curve/subgroup or identity. */
export function decodeG1(bytes: Uint8Array, what: string): G1Point {
  return decodePoint(bytes, 48, (b) => G1.fromBytes(b), G1.ZERO, what)
}

/** Decodes a compressed G2 point (96 bytes); throws {@link ProofFormatError} if off-curve/subgroup or identity. */
export function decodeG2(bytes: Uint8Array, what: string): G2Point {
  return decodePoint(bytes, 96, (b) => G2.fromBytes(b), G2.ZERO, what)
}

/** `e(σ, G2) · e(−A, v) = 1`, one batched Miller loop and one final exponentiation. */
export function pairingCheck(sigma: G1Point, a: G1Point, v: G2Point): boolean {
  const result = bls12_381.pairingBatch([
    { g1: sigma, g2: G2.BASE },
    { g1: a.negate(), g2: v },
  ])
  return bls12_381.fields.Fp12.eql(result, bls12_381.fields.Fp12.ONE)
}
