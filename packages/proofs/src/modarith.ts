/**
 * BigInt arithmetic for Z_p and RSA groups: modular exponentiation, inverses, simultaneous
 * multi-exponentiation, fixed-base tables, Miller–Rabin and safe-prime generation. Not constant-time:
 * the secret exponents here are used by the TA in its own process (storage-proofs.md §3 notes).
 */
import { bitLength, os2ip } from './bytes.js'

/** Draws `n` random bytes (a CSPRNG). */
export type RandomBytes = (n: number) => Uint8Array

/** `x mod m` in [0, m). */
export function mod(x: bigint, m: bigint): bigint {
  const r = x % m
  return r < 0n ? r + m : r
}

/** `base^exp mod m` for exp ≥ 0 (left-to-right, 5-bit sliding window). */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  if (m === 1n) return 0n
  if (exp < 0n) throw new RangeError('negative exponent')
  const b = mod(base, m)
  if (exp === 0n) return 1n
  const w = exp < 1n << 64n ? 3 : 5
  // Odd powers b^1, b^3, …, b^(2^w − 1).
  const b2 = (b * b) % m
  const table: bigint[] = [b]
  for (let i = 1; i < 1 << (w - 1); i++) table.push((table[i - 1]! * b2) % m)
  const bits = exp.toString(2)
  let r = 1n
  let i = 0
  while (i < bits.length) {
    if (bits[i] === '0') {
      r = (r * r) % m
      i++
      continue
    }
    let j = Math.min(i + w, bits.length)
    while (bits[j - 1] === '0') j--
    const window = parseInt(bits.slice(i, j), 2)
    for (let k = i; k < j; k++) r = (r * r) % m
    r = (r * table[(window - 1) >> 1]!) % m
    i = j
  }
  return r
}

/** Modular inverse; throws RangeError when gcd(a, m) ≠ 1. */
export function modInv(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m]
  let [oldS, s] = [1n, 0n]
  while (r !== 0n) {
    const q = oldR / r
    ;[oldR, r] = [r, oldR - q * r]
    ;[oldS, s] = [s, oldS - q * s]
  }
  if (oldR !== 1n) throw new RangeError('not invertible')
  return mod(oldS, m)
}

/** Greatest common divisor of non-negative integers. */
export function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b]
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

/**
 * `Π bases[i]^exps[i] mod m` with shared squarings (Straus, 4-bit windows): for the c short
 * (128/256-bit) exponents of a PDP challenge this is ~c/3 times cheaper than separate powers.
 */
export function multiExp(bases: readonly bigint[], exps: readonly bigint[], m: bigint): bigint {
  if (bases.length !== exps.length) throw new RangeError('bases and exponents differ in length')
  const W = 4
  const tables = bases.map((b) => {
    const t: bigint[] = [1n, mod(b, m)]
    for (let i = 2; i < 1 << W; i++) t.push((t[i - 1]! * t[1]!) % m)
    return t
  })
  const maxBits = Math.max(0, ...exps.map(bitLength))
  const windows = Math.ceil(maxBits / W)
  let r = 1n
  const mask = BigInt((1 << W) - 1)
  for (let w = windows - 1; w >= 0; w--) {
    for (let k = 0; k < W; k++) r = (r * r) % m
    const shift = BigInt(w * W)
    for (let i = 0; i < exps.length; i++) {
      const digit = Number((exps[i]! >> shift) & mask)
      if (digit !== 0) r = (r * tables[i]![digit]!) % m
    }
  }
  return r
}

/**
 * A fixed-base table for one base: `pow(e)` costs about `bits(e)/k + 2^k` multiplications instead of
 * `bits(e)` squarings. Worth it when the same base (erway's g) meets many long exponents.
 */
export function fixedBase(base: bigint, m: bigint, maxBits: number, k = 8): (e: bigint) => bigint {
  const digits = Math.ceil(maxBits / k)
  const powers: bigint[] = [mod(base, m)]
  for (let i = 1; i < digits; i++) {
    let x = powers[i - 1]!
    for (let j = 0; j < k; j++) x = (x * x) % m
    powers.push(x)
  }
  const mask = (1n << BigInt(k)) - 1n
  return (e: bigint): bigint => {
    if (e < 0n || bitLength(e) > maxBits) throw new RangeError('exponent outside the table')
    // BGMW/Brickell: group the base powers by digit value, then a running product over values.
    const buckets: bigint[] = new Array<bigint>(1 << k).fill(1n)
    let x = e
    for (let i = 0; x > 0n; i++, x >>= BigInt(k)) {
      const d = Number(x & mask)
      if (d !== 0) buckets[d] = (buckets[d]! * powers[i]!) % m
    }
    let acc = 1n
    let r = 1n
    for (let d = (1 << k) - 1; d >= 1; d--) {
      acc = (acc * buckets[d]!) % m
      r = (r * acc) % m
    }
    return r
  }
}

/** A uniform integer in [0, bound) by rejection from `random`. */
export function randomBelow(bound: bigint, random: RandomBytes): bigint {
  if (bound <= 0n) throw new RangeError('empty range')
  const bits = bitLength(bound)
  const bytes = Math.ceil(bits / 8)
  const excess = BigInt(bytes * 8 - bits)
  for (;;) {
    const x = os2ip(random(bytes)) >> excess
    if (x < bound) return x
  }
}

const SMALL_PRIMES: number[] = (() => {
  const out: number[] = []
  for (let n = 3; out.length < 2000; n += 2)
    if (out.every((p) => p * p > n || n % p !== 0)) out.push(n)
  return out
})()

/** Miller–Rabin with `rounds` random bases (probability of error ≤ 4^-rounds). */
export function isProbablePrime(n: bigint, random: RandomBytes, rounds = 40): boolean {
  if (n < 2n) return false
  for (const p of [2, ...SMALL_PRIMES.slice(0, 100)]) {
    if (n === BigInt(p)) return true
    if (n % BigInt(p) === 0n) return false
  }
  let d = n - 1n
  let s = 0
  while ((d & 1n) === 0n) {
    d >>= 1n
    s++
  }
  for (let i = 0; i < rounds; i++) {
    const a = 2n + randomBelow(n - 3n, random)
    let x = modPow(a, d, n)
    if (x === 1n || x === n - 1n) continue
    let composite = true
    for (let r = 1; r < s; r++) {
      x = (x * x) % n
      if (x === n - 1n) {
        composite = false
        break
      }
    }
    if (composite) return false
  }
  return true
}

/** A random prime of exactly `bits` bits. */
export function randomPrime(bits: number, random: RandomBytes): bigint {
  for (;;) {
    const x = os2ip(random(Math.ceil(bits / 8))) & ((1n << BigInt(bits)) - 1n)
    const candidate = x | (1n << BigInt(bits - 1)) | 1n
    if (isProbablePrime(candidate, random)) return candidate
  }
}

/**
 * A random safe prime p = 2p' + 1 of exactly `bits` bits, in pure BigInt (isomorphic, slow: minutes
 * at 1536 bits). Services on Node should inject OpenSSL's generator through `KeyOptions.safePrime`.
 * Sieves p' and 2p'+1 together by small primes before any Miller–Rabin.
 */
export function generateSafePrime(bits: number, random: RandomBytes): bigint {
  if (bits < 16) throw new RangeError('safe primes below 16 bits are not supported')
  for (;;) {
    const x = os2ip(random(Math.ceil(bits / 8))) & ((1n << BigInt(bits - 1)) - 1n)
    // p' odd, top bit set so that p = 2p'+1 has exactly `bits` bits; p' ≡ 2 mod 3 would make p ≡ 2.
    let q = x | (1n << BigInt(bits - 2)) | 1n
    for (let step = 0; step < 4096; step++, q += 2n) {
      if (bitLength(2n * q + 1n) !== bits) break
      if (!sieved(q)) continue
      const p = 2n * q + 1n
      // Cheap Fermat base-2 filters on both before the full tests.
      if (modPow(2n, q - 1n, q) !== 1n || modPow(2n, p - 1n, p) !== 1n) continue
      if (isProbablePrime(q, random, 20) && isProbablePrime(p, random, 20)) return p
    }
  }
}

function sieved(q: bigint): boolean {
  for (const sp of SMALL_PRIMES) {
    const b = BigInt(sp)
    if (b * b > 2n * q + 1n) return true
    const r = q % b
    // q ≡ 0 makes q composite; q ≡ (b−1)/2 makes 2q+1 ≡ 0.
    if (r === 0n || r === (b - 1n) / 2n) return q === b
  }
  return true
}
