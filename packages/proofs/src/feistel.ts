/**
 * bjo's small-domain PRP on [0, x) (storage-proofs.md §7, after BJO §6.1): a 6-round Feistel network
 * on b = ⌈log2 x⌉-bit strings with round function `PRF(k, "feistel", u8(round) ‖ u64(half))`
 * truncated to the half-width, plus cycle-walking into [0, x). For odd b the halves are ⌊b/2⌋ and
 * ⌈b/2⌉ bits and swap widths every round (an alternating unbalanced Feistel, as in FF1), so the walk
 * stays under 2 expected steps. O(1) per evaluation instead of sorting the domain.
 */
import { keyedPrf } from './hash.js'

const ROUNDS = 6
/** Largest domain supported (halves stay ≤ 26 bits, exact in JS numbers and 32-bit XOR). */
export const MAX_PRP_DOMAIN = 2 ** 52

/** A keyed permutation of [0, domain). */
export interface Prp {
  readonly domain: number
  apply(x: number): number
}

/** Creates the PRP of key `k` on [0, domain). Throws RangeError for a domain outside [1, 2^52]. */
export function createPrp(k: Uint8Array, domain: number): Prp {
  if (!Number.isSafeInteger(domain) || domain < 1 || domain > MAX_PRP_DOMAIN) {
    throw new RangeError(`bad PRP domain ${domain}`)
  }
  let bits = 0
  while (2 ** bits < domain) bits++
  const u = Math.floor(bits / 2)
  const v = bits - u
  const prf = keyedPrf(k, 'feistel')
  const input = new Uint8Array(9)
  const view = new DataView(input.buffer)
  const round = (r: number, half: number, width: number): number => {
    input[0] = r
    view.setBigUint64(1, BigInt(half))
    const out = prf(input)
    // 4 bytes cover widths ≤ 26 bits; reducing mod a power of two keeps the value uniform.
    return (((out[0]! << 24) | (out[1]! << 16) | (out[2]! << 8) | out[3]!) >>> 0) % 2 ** width
  }
  const encrypt = (x: number): number => {
    // x = a·2^v + b with a of u bits and b of v bits; each round (a, b) → (b, a ⊕ F(b)).
    let a = Math.floor(x / 2 ** v)
    let b = x % 2 ** v
    let wa = u
    let wb = v
    for (let r = 0; r < ROUNDS; r++) {
      const c = (a ^ round(r, b, wa)) >>> 0
      a = b
      b = c
      ;[wa, wb] = [wb, wa]
    }
    // An even number of rounds restores the widths: a has u bits, b has v bits.
    return a * 2 ** wb + b
  }
  return {
    domain,
    apply(x) {
      if (!Number.isSafeInteger(x) || x < 0 || x >= domain) {
        throw new RangeError(`PRP input ${x} outside [0, ${domain})`)
      }
      let y = encrypt(x)
      while (y >= domain) y = encrypt(y)
      return y
    },
  }
}
