/**
 * BN254 pieces noble lacks, for the sw-pub compat suite (proofs-original.md §1.5): RFC 9380
 * hash_to_curve with expand_message_xmd/SHA-256, two 48-byte field elements and the straight-line
 * Shallue–van de Woestijne map (RFC 9380 §6.6.1, F.1) with Z = 1 on y² = x³ + 3 (cofactor 1), and
 * the EIP-197 / gnark "raw" codecs: G1 as x‖y, G2 as x.im‖x.re‖y.im‖y.re, 32-byte big-endian each.
 */
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js'
import { bn254 } from '@noble/curves/bn254.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concat, i2osp, os2ip } from './bytes.js'
import { ensureFormat, ProofFormatError } from './errors.js'
import { mod, modInv, modPow } from './modarith.js'

/** The BN254 G1 point constructor. */
export const BnG1 = bn254.G1.Point
/** The BN254 G2 point constructor. */
export const BnG2 = bn254.G2.Point
/** Base field modulus p of BN254. */
export const BN_P = bn254.fields.Fp.ORDER
/** Group order r of BN254. */
export const BN_R = bn254.fields.Fr.ORDER
/** A BN254 G1 point. */
export type BnG1Point = ReturnType<typeof BnG1.fromAffine>
/** A BN254 G2 point. */
export type BnG2Point = ReturnType<typeof BnG2.fromAffine>

const B = 3n
const Z = 1n
// SVDW constants for A = 0, B = 3, Z = 1 (RFC 9380 §6.6.1): g(Z) = 4.
const gZ = mod(Z * Z * Z + B, BN_P)
const C1 = gZ
const C2 = mod(-modInv(2n, BN_P), BN_P)
const C3 = (() => {
  const root = sqrt(mod(-gZ * 3n * Z * Z, BN_P))
  if (root === undefined) throw new Error('SVDW constant c3 has no square root')
  return sgn0(root) === 0 ? root : BN_P - root
})()
const C4 = mod(-4n * gZ * modInv(3n * Z * Z, BN_P), BN_P)

function sgn0(x: bigint): number {
  return Number(x & 1n)
}

function isSquare(x: bigint): boolean {
  return x === 0n || modPow(x, (BN_P - 1n) / 2n, BN_P) === 1n
}

// p ≡ 3 (mod 4), so a square root is x^((p+1)/4).
function sqrt(x: bigint): bigint | undefined {
  const y = modPow(x, (BN_P + 1n) / 4n, BN_P)
  return (y * y) % BN_P === mod(x, BN_P) ? y : undefined
}

const g = (x: bigint): bigint => mod(x * x * x + B, BN_P)

/** RFC 9380 map_to_curve_svdw (straight-line, F.1) on BN254 G1 with Z = 1. */
export function mapToCurveSvdw(u: bigint): { x: bigint; y: bigint } {
  const p = BN_P
  let tv1 = mod(u * u * C1, p)
  const tv2 = mod(1n + tv1, p)
  tv1 = mod(1n - tv1, p)
  const tv3raw = mod(tv1 * tv2, p)
  const tv3 = tv3raw === 0n ? 0n : modInv(tv3raw, p)
  const tv4 = mod(u * tv1 * tv3 * C3, p)
  const x1 = mod(C2 - tv4, p)
  const x2 = mod(C2 + tv4, p)
  const t = mod(tv2 * tv2 * tv3, p)
  const x3 = mod(t * t * C4 + Z, p)
  const e1 = isSquare(g(x1))
  const e2 = isSquare(g(x2)) && !e1
  const x = e1 ? x1 : e2 ? x2 : x3
  let y = sqrt(g(x))!
  if (sgn0(u) !== sgn0(y)) y = mod(-y, p)
  return { x, y }
}

/** hash_to_field: expand_message_xmd(msg, DST, 96) as two 48-byte big-endian integers mod p. */
export function hashToFieldBn(msg: Uint8Array, dst: string): [bigint, bigint] {
  const bytes = expand_message_xmd(msg, dst, 96, sha256)
  return [os2ip(bytes.subarray(0, 48)) % BN_P, os2ip(bytes.subarray(48, 96)) % BN_P]
}

/** hash_to_curve on BN254 G1: map both field elements and add (cofactor 1). */
export function hashToG1Bn(msg: Uint8Array, dst: string): BnG1Point {
  const [u0, u1] = hashToFieldBn(msg, dst)
  return BnG1.fromAffine(mapToCurveSvdw(u0)).add(BnG1.fromAffine(mapToCurveSvdw(u1)))
}

/** G1 as 64 bytes x‖y (identity rejected: it has no raw encoding here). */
export function encodeBnG1(p: BnG1Point): Uint8Array {
  const a = p.toAffine()
  return concat(i2osp(a.x, 32), i2osp(a.y, 32))
}

/** Decodes a raw G1 point; throws {@link ProofFormatError} off-curve, non-canonical or identity. */
export function decodeBnG1(bytes: Uint8Array, what: string): BnG1Point {
  ensureFormat(bytes.length === 64, `${what}: expected 64 bytes`)
  const x = os2ip(bytes.subarray(0, 32))
  const y = os2ip(bytes.subarray(32))
  ensureFormat(x < BN_P && y < BN_P, `${what}: coordinate not below p`)
  ensureFormat(!(x === 0n && y === 0n), `${what}: identity point`)
  try {
    const p = BnG1.fromAffine({ x, y })
    p.assertValidity()
    return p
  } catch {
    throw new ProofFormatError(`${what}: not on BN254`)
  }
}

/** G2 as 128 bytes x.im‖x.re‖y.im‖y.re. */
export function encodeBnG2(p: BnG2Point): Uint8Array {
  const a = p.toAffine()
  return concat(i2osp(a.x.c1, 32), i2osp(a.x.c0, 32), i2osp(a.y.c1, 32), i2osp(a.y.c0, 32))
}

/** Decodes a raw G2 point; throws {@link ProofFormatError} off-curve, off-subgroup or identity. */
export function decodeBnG2(bytes: Uint8Array, what: string): BnG2Point {
  ensureFormat(bytes.length === 128, `${what}: expected 128 bytes`)
  const w = [0, 1, 2, 3].map((i) => os2ip(bytes.subarray(32 * i, 32 * (i + 1))))
  ensureFormat(
    w.every((v) => v < BN_P),
    `${what}: coordinate not below p`,
  )
  ensureFormat(
    w.some((v) => v !== 0n),
    `${what}: identity point`,
  )
  try {
    const p = BnG2.fromAffine({ x: { c0: w[1]!, c1: w[0]! }, y: { c0: w[3]!, c1: w[2]! } })
    p.assertValidity()
    if (!p.isTorsionFree()) throw new Error('subgroup')
    return p
  } catch {
    throw new ProofFormatError(`${what}: not a valid BN254 G2 point`)
  }
}

/** e(σ, G2) = e(A, v) via one batched pairing. */
export function bnPairingCheck(sigma: BnG1Point, a: BnG1Point, v: BnG2Point): boolean {
  const res = bn254.pairingBatch([
    { g1: sigma, g2: BnG2.BASE },
    { g1: a.negate(), g2: v },
  ])
  return bn254.fields.Fp12.eql(res, bn254.fields.Fp12.ONE)
}
