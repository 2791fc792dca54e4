/**
 * sw-priv: Shacham–Waters private POR over Z_p, p = 2^255 − 19 (storage-proofs.md §3).
 * Tag σ_i = PRF_K(id_i) + Σ α_j f_ij; proof (σ, μ); the verifier needs K and α, so whoever holds
 * them can forge. Everything here is pure BigInt.
 */
import { i2osp, u16, u32, u8 } from './bytes.js'
import {
  fieldCoefficients,
  encodeChallenge,
  decodeChallenge,
  selectChallenge,
  sameRoots,
} from './challenge.js'
import { chunkId, type ChunkSource, type Manifest } from './chunks.js'
import { batchTags, decodeDescriptor, descriptorRoots, encodeDescriptor } from './descriptor.js'
import { ensureFormat } from './errors.js'
import { decodeFrame, encodeFrame, field, FrameKind, protocolIds } from './frame.js'
import { wideMod } from './hash.js'
import { defaultRandom } from './random.js'
import { resolveProverRoots } from './prover-roots.js'
import { checkSectors, DEFAULT_SECTORS, SECTOR_BYTES, sectorsOf } from './sectors.js'
import type {
  AuditMaterial,
  ChallengeOptions,
  CreatedKey,
  KeyOptions,
  OwnerSecret,
  ProverRoot,
  ProverSetup,
  PublicSetup,
  TaggedRoot,
  TaSecret,
  Validator,
} from './types.js'
import { createValidator, fail, OK } from './validator.js'
import { readFeArray, readFixed, readList, readUint, writeFeArray, writeList } from './values.js'

/** The field modulus 2^255 − 19. */
export const SW_PRIV_P = (1n << 255n) - 19n
const PROTO = 'sw-priv' as const
const SUITES = [1]
const W = 32

interface Params {
  readonly s: number
  readonly chunkSize: number
}
interface Secret {
  readonly k: Uint8Array
  readonly alpha: readonly bigint[]
}

function encodeParams(
  kind: typeof FrameKind.publicSetup | typeof FrameKind.proverSetup,
  p: Params,
): Uint8Array {
  return encodeFrame(kind, protocolIds[PROTO], 1, [
    [1, u16(p.s)],
    [2, u32(p.chunkSize)],
    [3, u8(1)],
  ])
}

function decodeParams(
  bytes: Uint8Array,
  kind: typeof FrameKind.publicSetup | typeof FrameKind.proverSetup,
): Params {
  const f = decodeFrame(bytes, {
    kind,
    protocol: protocolIds[PROTO],
    suites: SUITES,
    known: [1, 2, 3],
  })
  const s = readUint(field(f, 1), 2, 's')
  ensureFormat(s >= 1 && s <= 256, 's must be 1–256')
  const chunkSize = readUint(field(f, 2), 4, 'chunk_size')
  ensureFormat(chunkSize === SECTOR_BYTES * s, 'chunk_size must be 31·s')
  ensureFormat(readUint(field(f, 3), 1, 'modulus id') === 1, 'unknown modulus id')
  return { s, chunkSize }
}

function encodeSecret(
  kind: typeof FrameKind.ownerSecret | typeof FrameKind.taSecret,
  sk: Secret,
): Uint8Array {
  return encodeFrame(kind, protocolIds[PROTO], 1, [
    [1, sk.k],
    [2, writeList(sk.alpha.map((a) => i2osp(a, W)))],
  ])
}

function decodeSecret(
  bytes: Uint8Array,
  kind: typeof FrameKind.ownerSecret | typeof FrameKind.taSecret,
): Secret {
  const f = decodeFrame(bytes, {
    kind,
    protocol: protocolIds[PROTO],
    suites: SUITES,
    known: [1, 2],
  })
  const alpha = readList(field(f, 2), 256, 'alpha').map(
    (a) => readFeArray(a, 1, W, SW_PRIV_P, 'alpha')[0]!,
  )
  ensureFormat(alpha.length >= 1, 'alpha must not be empty')
  return { k: readFixed(field(f, 1), 32, 'K'), alpha }
}

/** Creates a sw-priv key: K (32 bytes) and α_1..α_s uniform in Z_p (via `Wide` over fresh randomness). */
export function swPrivCreateKey(opts: KeyOptions): CreatedKey {
  const s = opts.sectors ?? DEFAULT_SECTORS
  checkSectors(s)
  if ((opts.suite ?? 1) !== 1) throw new RangeError('sw-priv has only suite 1')
  const random = opts.random ?? defaultRandom
  const seed = random(32)
  const sk: Secret = {
    k: random(32),
    alpha: Array.from({ length: s }, (_, j) => wideMod(seed, 'alpha', u16(j), SW_PRIV_P)),
  }
  const params: Params = { s, chunkSize: SECTOR_BYTES * s }
  return {
    protocol: PROTO,
    taSecret: encodeSecret(FrameKind.taSecret, sk) as TaSecret,
    ownerSecret: encodeSecret(FrameKind.ownerSecret, sk) as OwnerSecret,
    publicSetup: encodeParams(FrameKind.publicSetup, params) as PublicSetup,
    proverSetup: encodeParams(FrameKind.proverSetup, params) as ProverSetup,
  }
}

function prfTag(k: Uint8Array, root: Uint8Array, index: number): bigint {
  return wideMod(k, 'tag', chunkId(root, index), SW_PRIV_P)
}

/**
 * Tags every chunk of a root: σ_i = (PRF + Σ α_j f_ij) mod p.
 *
 * @throws RangeError if the manifest's chunk size is not 31·s of this key.
 */
export async function swPrivTag(
  taSecret: TaSecret,
  keyId: Uint8Array,
  manifest: Manifest,
  chunks: ChunkSource,
  perBatch = 65_536,
): Promise<TaggedRoot> {
  const sk = decodeSecret(taSecret, FrameKind.taSecret)
  const s = sk.alpha.length
  if (manifest.chunkSize !== SECTOR_BYTES * s)
    throw new RangeError(`manifest chunk size must be ${SECTOR_BYTES * s}`)
  const tags: Uint8Array[] = []
  for (let i = 0; i < manifest.chunkCount; i++) {
    const f = sectorsOf(await chunks.chunk(i), s)
    let sigma = prfTag(sk.k, manifest.root, i)
    for (let j = 0; j < s; j++) sigma += sk.alpha[j]! * f[j]!
    tags.push(i2osp(sigma % SW_PRIV_P, W))
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

/**
 * Answers a challenge: σ = Σ ν_t σ_{i_t}, μ_j = Σ ν_t f_{i_t,j} (mod p). Needs no secret.
 *
 * @throws {@link ProofFormatError} on a malformed challenge or setup, or roots that do not match.
 */
export async function swPrivProve(
  setup: ProverSetup,
  roots: readonly ProverRoot[],
  challenge: Uint8Array,
): Promise<Uint8Array> {
  const { s } = decodeParams(setup, FrameKind.proverSetup)
  const { common } = decodeChallenge(challenge, PROTO, SUITES, [])
  const resolved = resolveProverRoots(PROTO, common, roots)
  const sel = selectChallenge(PROTO, 1, common)
  const nu = fieldCoefficients(sel.key, common.c, SW_PRIV_P)
  let sigma = 0n
  const mu = new Array<bigint>(s).fill(0n)
  for (let t = 0; t < sel.positions.length; t++) {
    const { root, index } = sel.positions[t]!
    const r = resolved[root]!
    const tag = readFeArray(await r.tags.tag(index), 1, W, SW_PRIV_P, 'stored tag')[0]!
    const f = sectorsOf(await r.chunks.chunk(index), s)
    sigma += nu[t]! * tag
    for (let j = 0; j < s; j++) mu[j]! += nu[t]! * f[j]!
  }
  return encodeFrame(FrameKind.proof, protocolIds[PROTO], 1, [
    [0x10, i2osp(sigma % SW_PRIV_P, W)],
    [
      0x11,
      writeFeArray(
        mu.map((m) => m % SW_PRIV_P),
        W,
      ),
    ],
  ])
}

/**
 * Builds a challenge over the audit material's roots and a validator that checks
 * σ ≡ Σ ν_t PRF_K(id_{i_t}) + Σ α_j μ_j (mod p).
 *
 * @throws {@link ProofFormatError} on malformed material; RangeError on a bad `c`.
 */
export function swPrivChallenge(
  audit: AuditMaterial,
  opts: ChallengeOptions,
): { challenge: Uint8Array; validator: Validator } {
  const { s } = decodeParams(audit.publicSetup, FrameKind.publicSetup)
  ensureFormat(audit.ownerSecret !== undefined, 'sw-priv needs the owner secret to verify')
  const sk = decodeSecret(audit.ownerSecret, FrameKind.ownerSecret)
  ensureFormat(sk.alpha.length === s, 'owner secret does not match the public setup')
  const descriptors = audit.descriptors.map((d) => decodeDescriptor(d, PROTO, audit.keyId))
  const roots = descriptorRoots(descriptors)
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
      const decoded = decodeChallenge(challenge, PROTO, SUITES, [])
      if (!sameRoots(decoded.common.roots, roots)) return fail('mismatch', 'roots differ')
      const f = decodeFrame(proof, {
        kind: FrameKind.proof,
        protocol: protocolIds[PROTO],
        suites: SUITES,
        known: [0x10, 0x11],
      })
      const sigma = readFeArray(field(f, 0x10), 1, W, SW_PRIV_P, 'sigma')[0]!
      const mu = readFeArray(field(f, 0x11), s, W, SW_PRIV_P, 'mu')
      const sel = selectChallenge(PROTO, 1, common)
      const nu = fieldCoefficients(sel.key, common.c, SW_PRIV_P)
      let expected = 0n
      sel.positions.forEach(({ root, index }, t) => {
        expected += nu[t]! * prfTag(sk.k, roots[root]!.cid, index)
      })
      for (let j = 0; j < s; j++) expected += sk.alpha[j]! * mu[j]!
      return expected % SW_PRIV_P === sigma ? OK : fail('mismatch', 'sigma does not match')
    }),
  }
}
