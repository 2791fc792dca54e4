/**
 * The `sw-pub` "bn254-compat" suite (storage-proofs.md §4.3; proofs-original.md §1.3, §1.5): the
 * original product's sw-pub math and JSON wire, so that an auditor holding the original client can
 * audit a Pinion server. Compat only: never for new keys by default, and kept apart from PNPF.
 *
 * - client_setup `{"protocol":"swpub","suite_id":1,"s","name":b64(16),"v":b64(128),"u":[b64(64)…]}`
 * - challenge `{"suite_id":1,"seed":b64(32),"c","n"}`; positions = the c smallest
 *   HMAC(HMAC(seed,"indices"), id_i) over all n ids (O(n)), ν_t = HMAC(HMAC(seed,"coeffs"), u64(t)) mod r
 * - proof `{"sigma":b64(64),"mu":[b64(32)…]}`; ids `rootCID ‖ u64(i)` over super-blocks: every block
 *   in CID order cut into ⌈size/Z⌉ (≥ 1) zero-padded super-blocks, indices global per root.
 */
import { concat, compareBytes, i2osp, os2ip, u64, utf8 } from './bytes.js'
import {
  BN_R,
  bnPairingCheck,
  BnG1,
  BnG2,
  decodeBnG1,
  decodeBnG2,
  encodeBnG1,
  encodeBnG2,
  hashToG1Bn,
  type BnG1Point,
  type BnG2Point,
} from './bn254-curve.js'
import { fromBase64, toBase64 } from './base64.js'
import type { BlockSource, Manifest } from './chunks.js'
import { ensureFormat, ProofFormatError } from './errors.js'
import { HMAC } from './hash.js'
import { MAX_C } from './challenge.js'
import { randomBelow, type RandomBytes } from './modarith.js'
import { defaultRandom } from './random.js'
import type { VerifyResult } from './types.js'
import { fail, OK } from './validator.js'

/** The original's hash-to-G1 DST. */
export const COMPAT_DST = 'sw-pub-v1-BN254G1_XMD:SHA-256_SVDW_RO_'

/** Parsed compat client_setup. */
export interface CompatSetup {
  readonly s: number
  readonly name: Uint8Array
  readonly v: BnG2Point
  readonly u: readonly BnG1Point[]
}

/** One root of a compat challenge: its CID bytes and super-block count (`block_count`). */
export interface CompatRoot {
  readonly cid: Uint8Array
  readonly count: number
}

function parseJson(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw new ProofFormatError(`${what}: not JSON`)
  }
  ensureFormat(
    typeof value === 'object' && value !== null && !Array.isArray(value),
    `${what}: not a JSON object`,
  )
  return value as Record<string, unknown>
}

function int(v: unknown, what: string, min: number, max: number): number {
  ensureFormat(
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max,
    `${what}: integer in [${min}, ${max}] expected`,
  )
  return v
}

function b64(v: unknown, length: number, what: string): Uint8Array {
  ensureFormat(typeof v === 'string', `${what}: base64 string expected`)
  const out = fromBase64(v, what)
  ensureFormat(out.length === length, `${what}: expected ${length} bytes`)
  return out
}

/** Parses and checks a compat client_setup (points on curve, in subgroup, s = len(u)). */
export function parseCompatSetup(bytes: Uint8Array): CompatSetup {
  const o = parseJson(bytes, 'client_setup')
  ensureFormat(o.protocol === 'swpub' && o.suite_id === 1, 'client_setup: not swpub suite 1')
  const s = int(o.s, 's', 1, 256)
  ensureFormat(Array.isArray(o.u) && o.u.length === s, 'client_setup: u must hold s points')
  return {
    s,
    name: b64(o.name, 16, 'name'),
    v: decodeBnG2(b64(o.v, 128, 'v'), 'v'),
    u: (o.u as unknown[]).map((x, j) => decodeBnG1(b64(x, 64, `u_${j + 1}`), `u_${j + 1}`)),
  }
}

/** A new compat key: α, λ, v = α·G2 and u_j = r_j·G1 with the r_j discarded, as the original does. */
export function compatCreateKey(opts: { sectors: number; random?: RandomBytes }): {
  secret: Uint8Array
  clientSetup: Uint8Array
} {
  const random = opts.random ?? defaultRandom
  if (!Number.isInteger(opts.sectors) || opts.sectors < 1 || opts.sectors > 256)
    throw new RangeError('sectors must be 1–256')
  const alpha = 1n + randomBelow(BN_R - 1n, random)
  const name = random(16)
  const u = Array.from({ length: opts.sectors }, () =>
    BnG1.BASE.multiply(1n + randomBelow(BN_R - 1n, random)),
  )
  const clientSetup = utf8(
    JSON.stringify({
      protocol: 'swpub',
      suite_id: 1,
      s: opts.sectors,
      name: toBase64(name),
      v: toBase64(encodeBnG2(BnG2.BASE.multiply(alpha))),
      u: u.map((p) => toBase64(encodeBnG1(p))),
    }),
  )
  return { secret: utf8(JSON.stringify({ alpha: toBase64(i2osp(alpha, 32)) })), clientSetup }
}

/** Super-block id `rootCID ‖ u64(i)`. */
export function compatId(root: Uint8Array, index: number): Uint8Array {
  return concat(root, u64(index))
}

/** The original's sectors: S slices of ⌈Z/S⌉ bytes (the last may be short, missing ones 0), mod r. */
export function compatSectors(block: Uint8Array, s: number): bigint[] {
  const width = Math.ceil(block.length / s)
  return Array.from(
    { length: s },
    (_, j) =>
      os2ip(
        block.subarray(Math.min(j * width, block.length), Math.min((j + 1) * width, block.length)),
      ) % BN_R,
  )
}

/**
 * The super-block reader of a root: each block (in the manifest's CID order) is cut into
 * ⌈size/Z⌉ ≥ 1 super-blocks of Z bytes, the last zero-padded.
 */
export function compatSuperBlocks(
  manifest: Manifest,
  blocks: BlockSource,
  z: number,
): { count: number; read(i: number): Promise<Uint8Array> } {
  const starts: number[] = []
  let count = 0
  for (const e of manifest.entries) {
    starts.push(count)
    count += Math.max(1, Math.ceil(e.size / z))
  }
  return {
    count,
    async read(i) {
      if (!Number.isSafeInteger(i) || i < 0 || i >= count)
        throw new RangeError(`super-block ${i} outside [0, ${count})`)
      let lo = 0
      let hi = starts.length - 1
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1
        if (starts[mid]! <= i) lo = mid
        else hi = mid - 1
      }
      const entry = manifest.entries[lo]!
      const bytes = await blocks.get(entry.cid)
      const from = (i - starts[lo]!) * z
      const out = new Uint8Array(z)
      out.set(bytes.subarray(from, Math.min(from + z, bytes.length)))
      return out
    },
  }
}

/** Tags a root's super-blocks: σ_i = α·(H(λ ‖ id_i) + Σ f_ij u_j), 64 bytes each. */
export async function compatTag(
  secret: Uint8Array,
  clientSetup: Uint8Array,
  root: Uint8Array,
  superBlocks: { count: number; read(i: number): Promise<Uint8Array> },
): Promise<Uint8Array[]> {
  const setup = parseCompatSetup(clientSetup)
  const alpha = os2ip(b64(parseJson(secret, 'secret').alpha, 32, 'alpha'))
  ensureFormat(alpha > 0n && alpha < BN_R, 'alpha out of range')
  const tags: Uint8Array[] = []
  for (let i = 0; i < superBlocks.count; i++) {
    const f = compatSectors(await superBlocks.read(i), setup.s)
    let acc = hashToG1Bn(concat(setup.name, compatId(root, i)), COMPAT_DST)
    f.forEach((fj, j) => {
      if (fj !== 0n) acc = acc.add(setup.u[j]!.multiply(fj))
    })
    tags.push(encodeBnG1(acc.multiply(alpha)))
  }
  return tags
}

/** A parsed compat challenge. */
export interface CompatChallenge {
  readonly seed: Uint8Array
  readonly c: number
  readonly n: number
}

/** Parses a compat challenge `{"suite_id":1,"seed","c","n"}`; throws {@link ProofFormatError}. */
export function parseCompatChallenge(bytes: Uint8Array): CompatChallenge {
  const o = parseJson(bytes, 'challenge')
  ensureFormat(o.suite_id === 1, 'challenge: suite_id must be 1')
  const n = int(o.n, 'n', 1, Number.MAX_SAFE_INTEGER)
  const c = int(o.c, 'c', 1, Math.min(n, MAX_C))
  return { seed: b64(o.seed, 32, 'seed'), c, n }
}

/** Encodes a compat challenge. */
export function encodeCompatChallenge(ch: CompatChallenge): Uint8Array {
  return utf8(JSON.stringify({ suite_id: 1, seed: toBase64(ch.seed), c: ch.c, n: ch.n }))
}

/** The original's selection: rank every id by HMAC(idxKey, id), keep the c smallest (O(n)). */
export function compatSelect(
  ch: CompatChallenge,
  roots: readonly CompatRoot[],
): { positions: { root: number; index: number }[]; nu: bigint[] } {
  const n = roots.reduce((a, r) => a + r.count, 0)
  ensureFormat(n === ch.n, 'challenge n differs from the roots')
  const idxKey = HMAC(ch.seed, utf8('indices'))
  const coeffKey = HMAC(ch.seed, utf8('coeffs'))
  const ranked: { rank: Uint8Array; root: number; index: number }[] = []
  roots.forEach((r, k) => {
    for (let i = 0; i < r.count; i++)
      ranked.push({ rank: HMAC(idxKey, compatId(r.cid, i)), root: k, index: i })
  })
  ranked.sort((a, b) => compareBytes(a.rank, b.rank))
  const positions = ranked.slice(0, ch.c).map(({ root, index }) => ({ root, index }))
  const nu = positions.map((_, t) => os2ip(HMAC(coeffKey, u64(t))) % BN_R)
  return { positions, nu }
}

/** A new compat challenge over `roots` (in order). */
export function compatBuildChallenge(
  roots: readonly CompatRoot[],
  c: number,
  opts: { random?: RandomBytes; seed?: Uint8Array } = {},
): Uint8Array {
  const n = roots.reduce((a, r) => a + r.count, 0)
  if (!Number.isSafeInteger(c) || c < 1 || c > Math.min(n, MAX_C))
    throw new RangeError('c must be in [1, min(n, 100 000)]')
  return encodeCompatChallenge({ seed: opts.seed ?? (opts.random ?? defaultRandom)(32), c, n })
}

/** The prover's view of one compat root. */
export interface CompatProverRoot extends CompatRoot {
  tag(index: number): Promise<Uint8Array> | Uint8Array
  read(index: number): Promise<Uint8Array> | Uint8Array
}

/** Answers a compat challenge with the original's proof JSON. */
export async function compatProve(
  clientSetup: Uint8Array,
  roots: readonly CompatProverRoot[],
  challenge: Uint8Array,
): Promise<Uint8Array> {
  const setup = parseCompatSetup(clientSetup)
  const sel = compatSelect(parseCompatChallenge(challenge), roots)
  let sigma = BnG1.ZERO
  const mu = new Array<bigint>(setup.s).fill(0n)
  for (let t = 0; t < sel.positions.length; t++) {
    const { root, index } = sel.positions[t]!
    const r = roots[root]!
    // ν_t is public, so the variable-time multiplyUnsafe (which also accepts 0) is fine here.
    sigma = sigma.add(decodeBnG1(await r.tag(index), 'stored tag').multiplyUnsafe(sel.nu[t]!))
    compatSectors(await r.read(index), setup.s).forEach((f, j) => {
      mu[j] = (mu[j]! + sel.nu[t]! * f) % BN_R
    })
  }
  return utf8(
    JSON.stringify({
      sigma: toBase64(encodeBnG1(sigma)),
      mu: mu.map((m) => toBase64(i2osp(m, 32))),
    }),
  )
}

/**
 * Verifies a compat proof: A = Σ ν_t H(λ ‖ id_t) + Σ μ_j u_j, accept iff e(σ, G2) = e(A, v).
 * Never throws: malformed inputs give `malformed`.
 */
export function compatVerify(
  clientSetup: Uint8Array,
  roots: readonly CompatRoot[],
  challenge: Uint8Array,
  proof: Uint8Array,
): VerifyResult {
  try {
    const setup = parseCompatSetup(clientSetup)
    const sel = compatSelect(parseCompatChallenge(challenge), roots)
    const o = parseJson(proof, 'proof')
    const sigma = decodeBnG1(b64(o.sigma, 64, 'sigma'), 'sigma')
    ensureFormat(Array.isArray(o.mu) && o.mu.length === setup.s, 'proof: mu must hold s elements')
    const mu = (o.mu as unknown[]).map((m, j) => {
      const v = os2ip(b64(m, 32, `mu_${j}`))
      ensureFormat(v < BN_R, `mu_${j}: not below r`)
      return v
    })
    let a = BnG1.ZERO
    sel.positions.forEach(({ root, index }, t) => {
      const h = hashToG1Bn(concat(setup.name, compatId(roots[root]!.cid, index)), COMPAT_DST)
      a = a.add(h.multiplyUnsafe(sel.nu[t]!))
    })
    setup.u.forEach((u, j) => {
      a = a.add(u.multiplyUnsafe(mu[j]!))
    })
    if (a.equals(BnG1.ZERO)) return fail('mismatch', 'degenerate aggregate')
    return bnPairingCheck(sigma, a, setup.v) ? OK : fail('mismatch', 'pairing check failed')
  } catch (e) {
    if (e instanceof ProofFormatError) return fail('malformed', e.message)
    throw e
  }
}
