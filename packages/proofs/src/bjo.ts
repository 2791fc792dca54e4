/**
 * bjo: the Juels–Kaliski variant of Bowers–Juels–Oprea, bounded to Q challenges per root
 * (storage-proofs.md §7). The TA encodes F̃ = file ‖ permuted, encrypted RS parity and precomputes Q
 * sentinels Q_j = GCM(M_j); challenge j reveals kc_j and u_j, the prover answers M_j and the stored
 * Q_j, and the owner checks the decryption. Each j is usable once: the owner persists how many were
 * used and {@link bjoChallenge} refuses past Q.
 *
 * Keys: HKDF-SHA256 from a 32-byte master (info kchal, kind, kenc | kperm, keccperm, keccenc, kmac),
 * then per root `PRF(k, "root", LP(root))` so that a challenge for one root tells nothing about the
 * sentinels of another (the draft derives them once per key; see README).
 */
import { ctr, gcm } from '@noble/ciphers/aes.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesEqual, concat, i2osp, lp, os2ip, u32, u64, utf8 } from './bytes.js'
import { decodeChallenge, encodeChallenge, type ChallengeCommon } from './challenge.js'
import { type ChunkSource, type Manifest } from './chunks.js'
import { batchTags, decodeDescriptor, encodeDescriptor, type Descriptor } from './descriptor.js'
import { ChallengesExhaustedError, ensureFormat } from './errors.js'
import { decodeFrame, encodeFrame, field, FrameKind, protocolIds } from './frame.js'
import { createPrp, type Prp } from './feistel.js'
import { PRF, wide, wideMod } from './hash.js'
import { rsEncode, RS_K, RS_PARITY } from './gf256-rs.js'
import { defaultRandom } from './random.js'
import type { RandomBytes } from './modarith.js'
import type {
  AuditMaterial,
  CreatedKey,
  KeyOptions,
  OwnerSecret,
  ProverRoot,
  ProverSetup,
  PublicSetup,
  RootDescriptor,
  TaggedRoot,
  TaSecret,
  Validator,
} from './types.js'
import { createValidator, fail, OK } from './validator.js'
import { readFe, readFixed, readUint } from './values.js'

const PROTO = 'bjo' as const
const SUITES = [1]
/** The field 2^255 − 19; one 31-byte chunk is one element. */
export const BJO_P = (1n << 255n) - 19n
/** Chunk size Z of bjo, in bytes. */
export const BJO_CHUNK_BYTES = 31
/** Stored size of one sentinel: 12-byte nonce ‖ 32-byte ciphertext ‖ 16-byte GCM tag. */
export const SENTINEL_BYTES = 60
const DEFAULT_V = 64
const DEFAULT_Q = 1000

/** bjo's public parameters. */
export interface BjoParams {
  /** Chunks per challenge V. */
  readonly v: number
  /** Inner-code length W = 2V. */
  readonly w: number
  /** Sentinels per root Q. */
  readonly q: number
  readonly gSeed: Uint8Array
}

function encodeParams(kind: typeof FrameKind.publicSetup | typeof FrameKind.proverSetup, p: BjoParams): Uint8Array {
  return encodeFrame(kind, protocolIds[PROTO], 1, [
    [1, u32(p.v)],
    [2, u32(p.w)],
    [3, u32(p.q)],
    [4, p.gSeed],
    [5, u32(BJO_CHUNK_BYTES)],
  ])
}

function decodeParams(bytes: Uint8Array, kind: typeof FrameKind.publicSetup | typeof FrameKind.proverSetup): BjoParams {
  const f = decodeFrame(bytes, { kind, protocol: protocolIds[PROTO], suites: SUITES, known: [1, 2, 3, 4, 5] })
  const v = readUint(field(f, 1), 4, 'V')
  const w = readUint(field(f, 2), 4, 'W')
  const q = readUint(field(f, 3), 4, 'Q')
  ensureFormat(v >= 1 && v <= 100_000 && w === 2 * v, 'V must be 1–100 000 and W = 2V')
  ensureFormat(q >= 1 && q <= 1_000_000, 'Q must be 1–1 000 000')
  ensureFormat(readUint(field(f, 5), 4, 'chunk_size') === BJO_CHUNK_BYTES, 'chunk_size must be 31')
  return { v, w, q, gSeed: readFixed(field(f, 4), 32, 'GSeed') }
}

/** The audit keys (owner side). */
interface AuditKeys {
  readonly kchal: Uint8Array
  readonly kind: Uint8Array
  readonly kenc: Uint8Array
}
/** All keys (TA side): audit plus recovery. */
interface AllKeys extends AuditKeys {
  readonly kperm: Uint8Array
  readonly keccperm: Uint8Array
  readonly keccenc: Uint8Array
}

function deriveKeys(master: Uint8Array): AllKeys {
  const k = (info: string): Uint8Array => hkdf(sha256, master, new Uint8Array(0), utf8(info), 32)
  return { kchal: k('kchal'), kind: k('kind'), kenc: k('kenc'), kperm: k('kperm'), keccperm: k('keccperm'), keccenc: k('keccenc') }
}

function forRoot(k: Uint8Array, root: Uint8Array): Uint8Array {
  return PRF(k, 'root', lp(root))
}

function decodeOwner(bytes: Uint8Array): AuditKeys {
  const f = decodeFrame(bytes, { kind: FrameKind.ownerSecret, protocol: protocolIds[PROTO], suites: SUITES, known: [1, 2, 3] })
  return { kchal: readFixed(field(f, 1), 32, 'kchal'), kind: readFixed(field(f, 2), 32, 'kind'), kenc: readFixed(field(f, 3), 32, 'kenc') }
}

/**
 * Creates a bjo key: a 32-byte master (the TA secret, from which the recovery keys derive), the
 * audit keys (the owner secret) and the public GSeed, V (= challengeSize), W = 2V and Q.
 */
export function bjoCreateKey(opts: KeyOptions): CreatedKey {
  if ((opts.suite ?? 1) !== 1) throw new RangeError('bjo has only suite 1')
  const random = opts.random ?? defaultRandom
  const v = opts.challengeSize ?? DEFAULT_V
  const q = opts.sentinels ?? DEFAULT_Q
  if (!Number.isInteger(v) || v < 1 || v > 100_000) throw new RangeError('challengeSize (V) must be 1–100 000')
  if (!Number.isInteger(q) || q < 1 || q > 1_000_000) throw new RangeError('sentinels (Q) must be 1–1 000 000')
  const master = random(32)
  const params: BjoParams = { v, w: 2 * v, q, gSeed: random(32) }
  const keys = deriveKeys(master)
  return {
    protocol: PROTO,
    taSecret: encodeFrame(FrameKind.taSecret, protocolIds[PROTO], 1, [[1, master]]) as TaSecret,
    ownerSecret: encodeFrame(FrameKind.ownerSecret, protocolIds[PROTO], 1, [
      [1, keys.kchal],
      [2, keys.kind],
      [3, keys.kenc],
    ]) as OwnerSecret,
    publicSetup: encodeParams(FrameKind.publicSetup, params) as PublicSetup,
    proverSetup: encodeParams(FrameKind.proverSetup, params) as ProverSetup,
  }
}

/** The challenge secrets of sentinel j: kc_j and u_j in [1, W]. */
function sentinelChallenge(keys: AuditKeys, root: Uint8Array, j: number, w: number): { kc: Uint8Array; u: number } {
  const kc = PRF(forRoot(keys.kchal, root), 'c', u64(j))
  const u = 1 + Number(os2ip(PRF(forRoot(keys.kind, root), 'u', u64(j)).subarray(0, 8)) % BigInt(w))
  return { kc, u }
}

function gElement(gSeed: Uint8Array, s: number, u: number): bigint {
  return wideMod(gSeed, 'G', concat(u64(u), u64(s)), BJO_P)
}

/** M = Σ_{s=1..V'} F̃_{PRP_kc(s−1)} · G[s][u] mod p, over V' = min(V, t) positions. */
async function sentinelValue(
  read: (i: number) => Promise<Uint8Array> | Uint8Array,
  prp: Prp,
  count: number,
  gSeed: Uint8Array,
  u: number,
): Promise<bigint> {
  let m = 0n
  for (let s = 1; s <= count; s++) m += os2ip(await read(prp.apply(s - 1))) * gElement(gSeed, s, u)
  return m % BJO_P
}

function aad(keyId: Uint8Array, root: Uint8Array, j: number): Uint8Array {
  return concat(lp(keyId), lp(root), u64(j))
}

function sentinelKey(keys: AuditKeys, root: Uint8Array, j: number): Uint8Array {
  return PRF(forRoot(keys.kenc, root), 'e', u64(j))
}

/** Number of parity chunks for m file chunks. */
function parityCount(m: number): number {
  return RS_PARITY * Math.ceil(m / RS_K)
}

/**
 * Encodes a root: RS parity over PRP-assigned stripes, permuted and AES-CTR-encrypted into the
 * sidecar, then Q sentinels. Returns the descriptor (with t and Q), the sentinels as tag batches and
 * the sidecar (parity chunks, 31 bytes each) to store beside the DAG.
 */
export async function bjoTag(
  taSecret: TaSecret,
  publicSetup: PublicSetup,
  keyId: Uint8Array,
  manifest: Manifest,
  chunks: ChunkSource,
  opts: { perBatch?: number; random?: RandomBytes } = {},
): Promise<TaggedRoot> {
  const random = opts.random ?? defaultRandom
  const f = decodeFrame(taSecret, { kind: FrameKind.taSecret, protocol: protocolIds[PROTO], suites: SUITES, known: [1] })
  const keys = deriveKeys(readFixed(field(f, 1), 32, 'master'))
  const params = decodeParams(publicSetup, FrameKind.publicSetup)
  if (manifest.chunkSize !== BJO_CHUNK_BYTES) throw new RangeError(`manifest chunk size must be ${BJO_CHUNK_BYTES}`)
  const root = manifest.root
  const m = manifest.chunkCount
  const stripes = Math.ceil(m / RS_K)
  const parityTotal = parityCount(m)
  const perm = createPrp(forRoot(keys.kperm, root), m)
  const parityPerm = createPrp(forRoot(keys.keccperm, root), parityTotal)
  const keccenc = forRoot(keys.keccenc, root)
  const sidecar = new Uint8Array(parityTotal * BJO_CHUNK_BYTES)
  for (let s = 0; s < stripes; s++) {
    const members: Uint8Array[] = []
    for (let r = 0; r < RS_K && s * RS_K + r < m; r++) members.push(await chunks.chunk(perm.apply(s * RS_K + r)))
    rsEncode(members).forEach((parity, r) => {
      const at = parityPerm.apply(s * RS_PARITY + r)
      const kiv = wide(keccenc, 'par', u64(at))
      sidecar.set(ctr(kiv.subarray(0, 32), kiv.subarray(32, 48)).encrypt(parity), at * BJO_CHUNK_BYTES)
    })
  }
  const t = m + parityTotal
  const read = (i: number): Promise<Uint8Array> | Uint8Array =>
    i < m ? chunks.chunk(i) : sidecar.subarray((i - m) * BJO_CHUNK_BYTES, (i - m + 1) * BJO_CHUNK_BYTES)
  const sentinels: Uint8Array[] = []
  const count = Math.min(params.v, t)
  for (let j = 1; j <= params.q; j++) {
    const { kc, u } = sentinelChallenge(keys, root, j, params.w)
    const mj = await sentinelValue(read, createPrp(kc, t), count, params.gSeed, u)
    const nonce = random(12)
    const ct = gcm(sentinelKey(keys, root, j), nonce, aad(keyId, root, j)).encrypt(i2osp(mj, 32))
    sentinels.push(concat(nonce, ct))
  }
  return {
    descriptor: encodeDescriptor({
      protocol: PROTO,
      suite: 1,
      keyId,
      root,
      chunkSize: BJO_CHUNK_BYTES,
      chunkCount: m,
      totalBytes: manifest.totalBytes,
      encodedCount: t,
      sentinels: params.q,
    }),
    tagBatches: batchTags(PROTO, 1, root, sentinels, opts.perBatch ?? 65_536),
    sidecar,
  }
}

/**
 * The prover's view of F̃ for one root: file chunks from the DAG, then parity from the sidecar.
 *
 * @throws {@link ProofFormatError} if the sidecar's size does not match the descriptor.
 */
export function bjoEncodedChunks(descriptor: RootDescriptor, file: ChunkSource, sidecar: Uint8Array): ChunkSource {
  const d = decodeDescriptor(descriptor, PROTO)
  const m = d.chunkCount
  ensureFormat(sidecar.length === (d.encodedCount! - m) * BJO_CHUNK_BYTES, 'sidecar size does not match the descriptor')
  return {
    chunk(i) {
      if (!Number.isSafeInteger(i) || i < 0 || i >= d.encodedCount!) throw new RangeError(`chunk ${i} outside F̃`)
      return i < m ? file.chunk(i) : sidecar.slice((i - m) * BJO_CHUNK_BYTES, (i - m + 1) * BJO_CHUNK_BYTES)
    },
  }
}

const C = { j: 0x10, kc: 0x11, u: 0x12 }

/** The sentinel index a bjo challenge uses, so the prover can record it and refuse repeats (§7). */
export function bjoChallengeIndex(challenge: Uint8Array): { keyId: Uint8Array; root: Uint8Array; j: number } {
  const { common, frame } = decodeChallenge(challenge, PROTO, SUITES, [C.j, C.kc, C.u])
  ensureFormat(common.roots.length === 1, 'bjo challenges name exactly one root')
  return { keyId: common.keyId, root: common.roots[0]!.cid, j: readUint(field(frame, C.j), 4, 'j') }
}

/**
 * Answers challenge j: M = Σ F̃_{i_s}·G[s][u_j] over the positions PRP_{kc_j} gives, plus the stored
 * Q_j. `roots[0].chunks` must read F̃ (see {@link bjoEncodedChunks}); `tags` returns sentinel j at
 * index j − 1.
 */
export async function bjoProve(setup: ProverSetup, roots: readonly ProverRoot[], challenge: Uint8Array): Promise<Uint8Array> {
  const params = decodeParams(setup, FrameKind.proverSetup)
  const { common, frame } = decodeChallenge(challenge, PROTO, SUITES, [C.j, C.kc, C.u])
  ensureFormat(common.roots.length === 1, 'bjo challenges name exactly one root')
  const j = readUint(field(frame, C.j), 4, 'j')
  const u = readUint(field(frame, C.u), 4, 'u')
  ensureFormat(j >= 1 && j <= params.q, 'j outside [1, Q]')
  ensureFormat(u >= 1 && u <= params.w, 'u outside [1, W]')
  const kc = readFixed(field(frame, C.kc), 32, 'kc')
  const root = resolveBjoRoot(common, roots)
  const t = root.decoded.encodedCount!
  ensureFormat(common.c === Math.min(params.v, t), 'c must be min(V, t)')
  const mj = await sentinelValue((i) => root.chunks.chunk(i), createPrp(kc, t), common.c, params.gSeed, u)
  const stored = await root.tags.tag(j - 1)
  ensureFormat(stored.length === SENTINEL_BYTES, 'stored sentinel has a wrong size')
  return encodeFrame(FrameKind.proof, protocolIds[PROTO], 1, [
    [0x10, i2osp(mj, 32)],
    [0x11, stored],
  ])
}

// bjo challenges count the encoded file F̃ (t chunks), so the count is checked against t, not m.
function resolveBjoRoot(common: ChallengeCommon, roots: readonly ProverRoot[]): ProverRoot & { decoded: Descriptor } {
  const match = roots
    .map((r) => ({ r, d: decodeDescriptor(r.descriptor, PROTO, common.keyId) }))
    .find(({ d }) => bytesEqual(d.root, common.roots[0]!.cid))
  ensureFormat(match !== undefined, 'challenge names a root the prover does not hold')
  ensureFormat(match.d.encodedCount === common.roots[0]!.count, 'challenge count differs from the descriptor')
  return { ...match.r, decoded: match.d }
}

/** The owner's persisted audit state of one bjo root. */
export interface BjoAuditState {
  /** Challenges already issued for this root (next j = used + 1). Persist before sending. */
  readonly used: number
}

/**
 * Builds challenge j = state.used + 1 for the single root of `audit` and its validator. The caller
 * MUST persist the returned `state` before sending the challenge (§7): a crash after sending and
 * before persisting would otherwise reuse j.
 *
 * @throws {@link ChallengesExhaustedError} once all Q sentinels are used.
 * @throws RangeError unless exactly one descriptor is given.
 */
export function bjoChallenge(
  audit: AuditMaterial,
  state: BjoAuditState,
): { challenge: Uint8Array; validator: Validator; j: number; state: BjoAuditState } {
  const params = decodeParams(audit.publicSetup, FrameKind.publicSetup)
  ensureFormat(audit.ownerSecret !== undefined, 'bjo needs the audit keys to verify')
  const keys = decodeOwner(audit.ownerSecret)
  if (audit.descriptors.length !== 1) throw new RangeError('bjo challenges name exactly one root')
  const d = decodeDescriptor(audit.descriptors[0]!, PROTO, audit.keyId)
  ensureFormat(d.sentinels === params.q, 'descriptor Q differs from the public setup')
  if (!Number.isSafeInteger(state.used) || state.used < 0) throw new RangeError('used must be a non-negative integer')
  const j = state.used + 1
  if (j > params.q) throw new ChallengesExhaustedError(`all ${params.q} sentinels of this root are used; re-encode it`)
  const { kc, u } = sentinelChallenge(keys, d.root, j, params.w)
  const t = d.encodedCount!
  const challenge = encodeChallenge(PROTO, 1, { keyId: audit.keyId, c: Math.min(params.v, t), roots: [{ cid: d.root, count: t }], n: t }, [
    [C.j, u32(j)],
    [C.kc, kc],
    [C.u, u32(u)],
  ])
  return {
    challenge,
    j,
    state: { used: j },
    validator: createValidator(challenge, (proof) => {
      const f = decodeFrame(proof, { kind: FrameKind.proof, protocol: protocolIds[PROTO], suites: SUITES, known: [0x10, 0x11] })
      const m = readFe(field(f, 0x10), 32, BJO_P, 'M')
      const stored = readFixed(field(f, 0x11), SENTINEL_BYTES, 'Q_j')
      let plain: Uint8Array
      try {
        plain = gcm(sentinelKey(keys, d.root, j), stored.subarray(0, 12), aad(audit.keyId, d.root, j)).decrypt(stored.subarray(12))
      } catch {
        return fail('mismatch', 'sentinel does not authenticate')
      }
      return bytesEqual(plain, i2osp(m, 32)) ? OK : fail('mismatch', 'M differs from the sentinel')
    }),
  }
}
