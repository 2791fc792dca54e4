/**
 * bjo's small-domain PRP on [0, x) (storage-proofs.md §7, after BJO §6.1): a balanced 6-round Feistel
 * network on 2h-bit strings (2h ≥ ⌈log2 x⌉, h ≥ 1) with round function
 * `PRF(k, "feistel", u8(round) ‖ u64(half))` truncated to h bits, plus cycle-walking into [0, x).
 * O(1) per evaluation instead of sorting the whole domain.
 */
import { concat, u64, u8 } from './bytes.js'
import { PRF } from './hash.js'

const ROUNDS = 6
/** Largest domain supported (half-width stays ≤ 26 bits, exact in JS numbers). */
export const MAX_PRP_DOMAIN = 2 ** 52

/** A keyed permutation of [0, domain). */
export interface Prp {
  readonly domain: number
  apply(x: number): number
}

/** Creates the PRP of key `k` on [0, domain). Throws RangeError for a domain outside [1, 2^52]. */
export function createPrp(k: Uint8Array, domain: number): Prp {
  if (!Number.isSafeInteger(domain) || domain < 1 || domain > MAX_PRP_DOMAIN)
    throw new RangeError(`bad PRP domain ${domain}`)
  let bits = 1
  while (2 ** bits < domain) bits++
  const half = Math.max(1, Math.ceil(bits / 2))
  const mod = 2 ** half
  const round = (r: number, x: number): number => {
    const out = PRF(k, 'feistel', concat(u8(r), u64(x)))
    // The first 4 bytes cover h ≤ 26 bits; reducing mod a power of two keeps the output uniform.
    const v = ((out[0]! << 24) | (out[1]! << 16) | (out[2]! << 8) | out[3]!) >>> 0
    return v % mod
  }
  const encrypt = (x: number): number => {
    let left = Math.floor(x / mod)
    let right = x % mod
    for (let r = 0; r < ROUNDS; r++) {
      const next = left ^ round(r, right)
      left = right
      right = next
    }
    return left * mod + right
  }
  return {
    domain,
    apply(x) {
      if (!Number.isSafeInteger(x) || x < 0 || x >= domain)
        throw new RangeError(`PRP input ${x} outside [0, ${domain})`)
      let y = encrypt(x)
      while (y >= domain) y = encrypt(y)
      return y
    },
  }
}
