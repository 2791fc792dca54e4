/**
 * bjo's outer code (storage-proofs.md §7): Reed–Solomon RS(255, 223) over GF(2⁸) with the AES
 * polynomial 0x11B, in evaluation form. Symbol k of a codeword is P(x_k) for x_k = 3^k, where P is the
 * unique polynomial of degree < 223 through the 223 message symbols; the 32 parity symbols are
 * P(x_223..x_254). Any 223 symbols recover the rest (MDS), which is what erasure decoding needs.
 * Short stripes are shortened codes: missing message symbols are zero.
 */

/** Message symbols per stripe. */
export const RS_K = 223
/** Parity symbols per stripe. */
export const RS_PARITY = 32
const RS_N = RS_K + RS_PARITY

const EXP = new Uint8Array(510)
const LOG = new Uint8Array(256)
{
  // 3 generates GF(2⁸)* under 0x11B (2 does not), so 3^0..3^254 are the 255 distinct non-zero points.
  let x = 1
  for (let i = 0; i < 255; i++) {
    EXP[i] = x
    LOG[x] = i
    const x2 = (x << 1) ^ (x & 0x80 ? 0x11b : 0)
    x = x2 ^ x
  }
  for (let i = 255; i < 510; i++) EXP[i] = EXP[i - 255]!
}

/** Product in GF(2⁸). */
export function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!
}

function gfDiv(a: number, b: number): number {
  if (b === 0) throw new RangeError('division by zero in GF(2^8)')
  return a === 0 ? 0 : EXP[LOG[a]! + 255 - LOG[b]!]!
}

const point = (k: number): number => EXP[k]!

/** Lagrange weights: weights[r][i] = L_i(x_target_r) over the basis positions `basis`. */
function lagrange(basis: readonly number[], targets: readonly number[]): number[][] {
  const denominators = basis.map((i) => {
    let d = 1
    for (const j of basis) if (j !== i) d = gfMul(d, point(i) ^ point(j))
    return d
  })
  return targets.map((t) =>
    basis.map((i, bi) => {
      let num = 1
      for (const j of basis) if (j !== i) num = gfMul(num, point(t) ^ point(j))
      return gfDiv(num, denominators[bi]!)
    }),
  )
}

let parityWeights: number[][] | undefined

/**
 * The 32 parity chunks of one stripe of up to 223 equal-length message chunks, computed bytewise.
 *
 * @throws RangeError for an empty or oversized stripe or unequal chunk lengths.
 */
export function rsEncode(message: readonly Uint8Array[]): Uint8Array[] {
  if (message.length < 1 || message.length > RS_K)
    throw new RangeError('a stripe holds 1–223 chunks')
  const width = message[0]!.length
  if (message.some((m) => m.length !== width))
    throw new RangeError('stripe chunks differ in length')
  parityWeights ??= lagrange(
    Array.from({ length: RS_K }, (_, i) => i),
    Array.from({ length: RS_PARITY }, (_, r) => RS_K + r),
  )
  return parityWeights.map((weights) => {
    const out = new Uint8Array(width)
    message.forEach((chunk, i) => {
      const w = weights[i]!
      if (w === 0) return
      const logW = LOG[w]!
      for (let b = 0; b < width; b++) {
        const v = chunk[b]!
        if (v !== 0) out[b]! ^= EXP[LOG[v]! + logW]!
      }
    })
    return out
  })
}

/**
 * Recovers a stripe's message chunks from any 223 surviving symbols of its 255 (message positions
 * 0..222 followed by parity 223..254; `undefined` marks an erasure; shortened positions must be
 * given as zero chunks).
 *
 * @throws RangeError with more than 32 erasures.
 */
export function rsDecode(
  codeword: readonly (Uint8Array | undefined)[],
  width: number,
): Uint8Array[] {
  if (codeword.length !== RS_N) throw new RangeError('a codeword has 255 symbols')
  const known = codeword.flatMap((c, i) => (c ? [i] : []))
  if (known.length < RS_K) throw new RangeError('more than 32 erasures')
  const basis = known.slice(0, RS_K)
  const missing = Array.from({ length: RS_K }, (_, i) => i).filter((i) => !codeword[i])
  const weights = lagrange(basis, missing)
  const out = Array.from({ length: RS_K }, (_, i) => codeword[i]?.slice() ?? new Uint8Array(width))
  missing.forEach((target, mi) => {
    const acc = out[target]!
    basis.forEach((i, bi) => {
      const w = weights[mi]![bi]!
      const sym = codeword[i]!
      for (let b = 0; b < width; b++) acc[b]! ^= gfMul(sym[b]!, w)
    })
  })
  return out
}
