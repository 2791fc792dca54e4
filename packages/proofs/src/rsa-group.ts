/**
 * The RSA group shared by ateniese and erway (storage-proofs.md §5, §6): N = pq with safe primes,
 * g a generator of QR_N, CRT exponentiation for the factor holder, and the hash to QR_N.
 */
import { bitLength, byteLength, concat, lp, os2ip } from './bytes.js'
import { ensureFormat } from './errors.js'
import { label, mgf1 } from './hash.js'
import {
  gcd,
  generateSafePrime,
  mod,
  modInv,
  modPow,
  randomBelow,
  type RandomBytes,
} from './modarith.js'

/** Modulus size in bits per RSA suite: 1 → 3072, 2 → 2048 (§5). */
export const RSA_SUITE_BITS: Readonly<Record<number, number>> = { 1: 3072, 2: 2048 }

/** Chunk size Z of the RSA protocols, in bytes. */
export const RSA_CHUNK_BYTES = 8192

/** The factorisation, known only to the TA (and erased for erway after tagging). */
export interface RsaFactors {
  readonly p: bigint
  readonly q: bigint
}

/** Bits of N for a suite; throws RangeError for an unknown suite. */
export function suiteBits(suite: number): number {
  const bits = RSA_SUITE_BITS[suite]
  if (bits === undefined) throw new RangeError(`unknown RSA suite ${suite}`)
  return bits
}

/**
 * Generates safe primes p ≠ q of bits/2 bits each with N = pq of exactly `bits` bits.
 *
 * @param safePrime injected generator (e.g. OpenSSL); defaults to the pure BigInt search.
 */
export async function generateFactors(
  bits: number,
  random: RandomBytes,
  safePrime?: (bits: number) => bigint | Promise<bigint>,
): Promise<RsaFactors> {
  const gen = safePrime ?? ((b: number) => generateSafePrime(b, random))
  for (;;) {
    const p = await gen(bits / 2)
    const q = await gen(bits / 2)
    if (p !== q && bitLength(p * q) === bits) return checkFactors({ p, q }, bits)
  }
}

/** Checks factors are odd, distinct, of the suite's size, and (p−1)/2, (q−1)/2 odd; throws ProofFormatError. */
export function checkFactors(f: RsaFactors, bits: number): RsaFactors {
  ensureFormat(
    f.p !== f.q && (f.p & 3n) === 3n && (f.q & 3n) === 3n,
    'factors must be distinct safe primes',
  )
  ensureFormat(bitLength(f.p * f.q) === bits, `N must have ${bits} bits`)
  return f
}

/** p'q', the order of QR_N. */
export function qrOrder(f: RsaFactors): bigint {
  return ((f.p - 1n) / 2n) * ((f.q - 1n) / 2n)
}

/** g = a² mod N for a random a with gcd(a ± 1, N) = 1 and g ≠ 1: a generator of QR_N w.h.p. (§5). */
export function pickGenerator(n: bigint, random: RandomBytes): bigint {
  for (;;) {
    const a = 2n + randomBelow(n - 3n, random)
    if (gcd(a - 1n, n) !== 1n || gcd(a + 1n, n) !== 1n || gcd(a, n) !== 1n) continue
    const g = (a * a) % n
    if (g !== 1n) return g
  }
}

/** x^e mod N through the CRT: two half-size exponentiations with e reduced mod p−1, q−1. */
export function crtPow(x: bigint, e: bigint, f: RsaFactors): bigint {
  const xp = modPow(x, mod(e, f.p - 1n), f.p)
  const xq = modPow(x, mod(e, f.q - 1n), f.q)
  // Garner: x = xq + q·((xp − xq)·q⁻¹ mod p).
  const h = mod((xp - xq) * modInv(f.q, f.p), f.p)
  return xq + f.q * h
}

/**
 * `h(x) = (OS2IP(MGF1(LP(L("ateniese","h")) ‖ x, ⌈(|N|+128)/8⌉)) mod N)² mod N`, with a
 * pre-square value of 0 replaced by 1 (§5).
 */
export function hashToQr(n: bigint, x: Uint8Array): bigint {
  const len = Math.ceil((bitLength(n) + 128) / 8)
  let y = os2ip(mgf1(concat(lp(label('ateniese', 'h')), x), len)) % n
  if (y === 0n) y = 1n
  return (y * y) % n
}

/** Checks a public modulus: odd, of the suite's size; throws {@link ProofFormatError}. */
export function checkModulus(n: bigint, suite: number): void {
  ensureFormat(
    (n & 1n) === 1n && bitLength(n) === suiteBits(suite),
    `N must be an odd ${suiteBits(suite)}-bit modulus`,
  )
}

/** Checks a group element claimed to be a QR_N generator: in [2, N−1), so not ±1 or 0. */
export function checkGenerator(g: bigint, n: bigint): void {
  ensureFormat(g >= 2n && g < n - 1n && gcd(g, n) === 1n, 'g must be a unit other than ±1')
}

/** Byte width of `rsa` values for modulus N. */
export function rsaWidth(n: bigint): number {
  return byteLength(n)
}
