/**
 * sw-pub: Shacham–Waters public POR on BLS12-381 (storage-proofs.md §4.1). Tags
 * σ_i = α·(Hname(λ, id_i) + Σ f_ij u_j); anyone with the public setup verifies with one pairing
 * check; only the α holder (the TA) can tag, and so forge.
 */
import { i2osp, u16, u32 } from './bytes.js'
import {
  decodeChallenge,
  encodeChallenge,
  fieldCoefficients,
  sameRoots,
  selectChallenge,
} from './challenge.js'
import { chunkId, type ChunkSource, type Manifest } from './chunks.js'
import {
  BLS_R,
  decodeG1,
  decodeG2,
  G1,
  G2,
  generators,
  hashName,
  msm,
  pairingCheck,
  type G1Point,
  type G2Point,
} from './bls.js'
import { batchTags, decodeDescriptor, descriptorRoots, encodeDescriptor } from './descriptor.js'
import { ensureFormat } from './errors.js'
import { decodeFrame, encodeFrame, field, FrameKind, protocolIds } from './frame.js'
import { wideMod } from './hash.js'
import { memoByBytes } from './memo.js'
import { resolveProverRoots } from './prover-roots.js'
import { defaultRandom } from './random.js'
import { checkSectors, DEFAULT_SECTORS, SECTOR_BYTES, sectorsOf } from './sectors.js'
import type {
  AuditMaterial,
  ChallengeOptions,
  CreatedKey,
  KeyOptions,
  ProverRoot,
  ProverSetup,
  PublicSetup,
  TaggedRoot,
  TaSecret,
  Validator,
} from './types.js'
import { createValidator, fail, OK } from './validator.js'
import { readFe, readFeArray, readFixed, readUint, writeFeArray } from './values.js'

const PROTO = 'sw-pub' as const
const SUITES = [1]
/** Width of a compressed G1 tag in bytes. */
export const SW_PUB_TAG_BYTES = 48

interface PublicParams {
  readonly s: number
  readonly chunkSize: number
  readonly lambda: Uint8Array
  readonly v: G2Point
  readonly u: readonly G1Point[]
}

function encodePublic(
  kind: typeof FrameKind.publicSetup | typeof FrameKind.proverSetup,
  p: PublicParams,
): Uint8Array {
  const u = new Uint8Array(48 * p.s)
  p.u.forEach((pt, i) => u.set(pt.toBytes(true), 48 * i))
  return encodeFrame(kind, protocolIds[PROTO], 1, [
    [1, u16(p.s)],
    [2, u32(p.chunkSize)],
    [3, p.lambda],
    [4, p.v.toBytes(true)],
    [5, u],
  ])
}

/**
 * Decodes a sw-pub public or prover setup and checks what can be checked without a signature: the
 * u_j must be the hashes of λ (so a tampered setup cannot smuggle in generators with known logs),
 * v is a valid non-identity G2 point, and Z = 31·s.
 */
function decodePublicUncached(
  bytes: Uint8Array,
  kind: typeof FrameKind.publicSetup | typeof FrameKind.proverSetup,
): PublicParams {
  const f = decodeFrame(bytes, {
    kind,
    protocol: protocolIds[PROTO],
    suites: SUITES,
    known: [1, 2, 3, 4, 5],
  })
  const s = readUint(field(f, 1), 2, 's')
  ensureFormat(s >= 1 && s <= 256, 's must be 1–256')
  const chunkSize = readUint(field(f, 2), 4, 'chunk_size')
  ensureFormat(chunkSize === SECTOR_BYTES * s, 'chunk_size must be 31·s')
  const lambda = readFixed(field(f, 3), 16, 'lambda')
  const v = decodeG2(field(f, 4), 'v')
  const rawU = field(f, 5)
  ensureFormat(rawU.length === 48 * s, 'u must hold s compressed G1 points')
  const expected = generators(lambda, s)
  const u = expected.map((e, i) => {
    const got = decodeG1(rawU.subarray(48 * i, 48 * (i + 1)), `u_${i + 1}`)
    ensureFormat(got.equals(e), `u_${i + 1} is not the hash of lambda: tampered setup`)
    return got
  })
  return { s, chunkSize, lambda, v, u }
}

const decodePublicSetup = memoByBytes((b) => decodePublicUncached(b, FrameKind.publicSetup))
const decodeProverSetup = memoByBytes((b) => decodePublicUncached(b, FrameKind.proverSetup))

function decodePublic(
  bytes: Uint8Array,
  kind: typeof FrameKind.publicSetup | typeof FrameKind.proverSetup,
): PublicParams {
  return kind === FrameKind.publicSetup ? decodePublicSetup(bytes) : decodeProverSetup(bytes)
}

interface TaParams {
  readonly alpha: bigint
  readonly lambda: Uint8Array
  readonly s: number
}

function decodeTa(bytes: Uint8Array): TaParams {
  const f = decodeFrame(bytes, {
    kind: FrameKind.taSecret,
    protocol: protocolIds[PROTO],
    suites: SUITES,
    known: [1, 2, 3],
  })
  const alpha = readFe(field(f, 1), 32, BLS_R, 'alpha')
  ensureFormat(alpha !== 0n, 'alpha must be non-zero')
  const s = readUint(field(f, 3), 2, 's')
  ensureFormat(s >= 1 && s <= 256, 's must be 1–256')
  return { alpha, lambda: readFixed(field(f, 2), 16, 'lambda'), s }
}

/** Creates a sw-pub key: α ∈ Z_r*, λ (16 random bytes), v = α·G2, u_j hashed from λ. */
export function swPubCreateKey(opts: KeyOptions): CreatedKey {
  const s = opts.sectors ?? DEFAULT_SECTORS
  checkSectors(s)
  if ((opts.suite ?? 1) !== 1)
    throw new RangeError('sw-pub PNPF suites: only 1 (BLS12-381); bn254-compat lives in compat')
  const random = opts.random ?? defaultRandom
  const alpha = wideMod(random(32), 'alpha', new Uint8Array(0), BLS_R - 1n) + 1n
  const lambda = random(16)
  const params: PublicParams = {
    s,
    chunkSize: SECTOR_BYTES * s,
    lambda,
    v: G2.BASE.multiply(alpha),
    u: generators(lambda, s),
  }
  return {
    protocol: PROTO,
    taSecret: encodeFrame(FrameKind.taSecret, protocolIds[PROTO], 1, [
      [1, i2osp(alpha, 32)],
      [2, lambda],
      [3, u16(s)],
    ]) as TaSecret,
    publicSetup: encodePublic(FrameKind.publicSetup, params) as PublicSetup,
    proverSetup: encodePublic(FrameKind.proverSetup, params) as ProverSetup,
  }
}

/**
 * Tags every chunk of a root: σ_i = α·Hname(λ, id_i) + Σ f_ij·w_j with w_j = α·u_j, one MSM of s+1
 * points per chunk. Slow in pure JS (≈ 1 scalar multiplication per 31 bytes): run it off the
 * request thread.
 */
export async function swPubTag(
  taSecret: TaSecret,
  keyId: Uint8Array,
  manifest: Manifest,
  chunks: ChunkSource,
  perBatch = 65_536,
): Promise<TaggedRoot> {
  const ta = decodeTa(taSecret)
  if (manifest.chunkSize !== SECTOR_BYTES * ta.s)
    throw new RangeError(`manifest chunk size must be ${SECTOR_BYTES * ta.s}`)
  const w = generators(ta.lambda, ta.s).map((u) => u.multiply(ta.alpha))
  const tags: Uint8Array[] = []
  for (let i = 0; i < manifest.chunkCount; i++) {
    const f = sectorsOf(await chunks.chunk(i), ta.s)
    const h = hashName(ta.lambda, chunkId(manifest.root, i))
    tags.push(msm([h, ...w], [ta.alpha, ...f]).toBytes(true))
  }
  return {
    descriptor: encodeDescriptor({
      protocol: PROTO,
      suite: 1,
      keyId,
      root: manifest.root,
      chunkSize: manifest.chunkSize,
      chunkCount: manifest.chunkCount,
      totalBytes: manifest.totalBytes,
    }),
    tagBatches: batchTags(PROTO, 1, manifest.root, tags, perBatch),
  }
}

/** Answers a challenge: σ = Σ ν_t σ_{i_t} (one MSM), μ_j = Σ ν_t f_{i_t,j} mod r. Needs no secret. */
export async function swPubProve(
  setup: ProverSetup,
  roots: readonly ProverRoot[],
  challenge: Uint8Array,
): Promise<Uint8Array> {
  const { s } = decodePublic(setup, FrameKind.proverSetup)
  const { common } = decodeChallenge(challenge, PROTO, SUITES, [])
  const resolved = resolveProverRoots(PROTO, common, roots)
  const sel = selectChallenge(PROTO, 1, common)
  const nu = fieldCoefficients(sel.key, common.c, BLS_R)
  const tags: G1Point[] = []
  const mu = new Array<bigint>(s).fill(0n)
  for (let t = 0; t < sel.positions.length; t++) {
    const { root, index } = sel.positions[t]!
    const r = resolved[root]!
    tags.push(decodeG1(await r.tags.tag(index), 'stored tag'))
    const f = sectorsOf(await r.chunks.chunk(index), s)
    for (let j = 0; j < s; j++) mu[j]! += nu[t]! * f[j]!
  }
  return encodeFrame(FrameKind.proof, protocolIds[PROTO], 1, [
    [0x10, msm(tags, nu).toBytes(true)],
    [
      0x11,
      writeFeArray(
        mu.map((m) => m % BLS_R),
        32,
      ),
    ],
  ])
}

/**
 * Builds a challenge and a validator checking e(σ, G2) = e(Σ ν_t Hname(λ, id_t) + Σ μ_j u_j, v).
 * Needs only public material.
 *
 * @throws {@link ProofFormatError} on malformed or tampered material (u_j not hashed from λ).
 */
export function swPubChallenge(
  audit: AuditMaterial,
  opts: ChallengeOptions,
): { challenge: Uint8Array; validator: Validator } {
  const pub = decodePublic(audit.publicSetup, FrameKind.publicSetup)
  const roots = descriptorRoots(
    audit.descriptors.map((d) => decodeDescriptor(d, PROTO, audit.keyId)),
  )
  const seed = opts.seed ?? (opts.random ?? defaultRandom)(32)
  const common = {
    keyId: audit.keyId,
    seed,
    c: opts.c,
    roots,
    n: roots.reduce((a, r) => a + r.count, 0),
  }
  const challenge = encodeChallenge(PROTO, 1, common, [])
  return {
    challenge,
    validator: createValidator(challenge, (proof) => {
      if (!sameRoots(decodeChallenge(challenge, PROTO, SUITES, []).common.roots, roots))
        return fail('mismatch', 'roots differ')
      const f = decodeFrame(proof, {
        kind: FrameKind.proof,
        protocol: protocolIds[PROTO],
        suites: SUITES,
        known: [0x10, 0x11],
      })
      const sigma = decodeG1(field(f, 0x10), 'sigma')
      const mu = readFeArray(field(f, 0x11), pub.s, 32, BLS_R, 'mu')
      const sel = selectChallenge(PROTO, 1, common)
      const nu = fieldCoefficients(sel.key, common.c, BLS_R)
      const names = sel.positions.map(({ root, index }) =>
        hashName(pub.lambda, chunkId(roots[root]!.cid, index)),
      )
      const a = msm([...names, ...pub.u], [...nu, ...mu])
      if (a.equals(G1.ZERO)) return fail('mismatch', 'degenerate aggregate')
      return pairingCheck(sigma, a, pub.v) ? OK : fail('mismatch', 'pairing check failed')
    }),
  }
}
