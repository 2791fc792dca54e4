/**
 * bjo's shared pieces (storage-proofs.md §7): parameters and their frames, the key hierarchy, and
 * the sentinel arithmetic both the TA (encoding) and the owner and prover (challenges) use.
 */
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concat, lp, os2ip, u32, u64, utf8 } from './bytes.js'
import { ensureFormat } from './errors.js'
import { decodeFrame, encodeFrame, field, FrameKind, protocolIds } from './frame.js'
import { type Prp } from './feistel.js'
import { PRF, wideMod } from './hash.js'
import { RS_K, RS_PARITY } from './gf256-rs.js'
import { readFixed, readUint } from './values.js'

/** Protocol name. */
export const PROTO = 'bjo' as const
/** Suites bjo accepts. */
export const SUITES = [1]
/** The field 2^255 − 19; one 31-byte chunk is one element. */
export const BJO_P = (1n << 255n) - 19n
/** Chunk size Z of bjo, in bytes. */
export const BJO_CHUNK_BYTES = 31
/** Stored size of one sentinel: 12-byte nonce ‖ 32-byte ciphertext ‖ 16-byte GCM tag. */
export const SENTINEL_BYTES = 60
/** Default chunks per challenge V. */
export const DEFAULT_V = 64
/** Default sentinels per root Q. */
export const DEFAULT_Q = 1000

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

/** Encodes the public (or prover) setup frame. */
export function encodeParams(
  kind: typeof FrameKind.publicSetup | typeof FrameKind.proverSetup,
  p: BjoParams,
): Uint8Array {
  return encodeFrame(kind, protocolIds[PROTO], 1, [
    [1, u32(p.v)],
    [2, u32(p.w)],
    [3, u32(p.q)],
    [4, p.gSeed],
    [5, u32(BJO_CHUNK_BYTES)],
  ])
}

/** Decodes and checks a public or prover setup (W = 2V, Z = 31); throws ProofFormatError. */
export function decodeParams(
  bytes: Uint8Array,
  kind: typeof FrameKind.publicSetup | typeof FrameKind.proverSetup,
): BjoParams {
  const f = decodeFrame(bytes, {
    kind,
    protocol: protocolIds[PROTO],
    suites: SUITES,
    known: [1, 2, 3, 4, 5],
  })
  const v = readUint(field(f, 1), 4, 'V')
  const w = readUint(field(f, 2), 4, 'W')
  const q = readUint(field(f, 3), 4, 'Q')
  ensureFormat(v >= 1 && v <= 100_000 && w === 2 * v, 'V must be 1–100 000 and W = 2V')
  ensureFormat(q >= 1 && q <= 1_000_000, 'Q must be 1–1 000 000')
  ensureFormat(readUint(field(f, 5), 4, 'chunk_size') === BJO_CHUNK_BYTES, 'chunk_size must be 31')
  return { v, w, q, gSeed: readFixed(field(f, 4), 32, 'GSeed') }
}

/** The audit keys (owner side). */
export interface AuditKeys {
  readonly kchal: Uint8Array
  readonly kind: Uint8Array
  readonly kenc: Uint8Array
}
/** All keys (TA side): audit plus recovery. */
export interface AllKeys extends AuditKeys {
  readonly kperm: Uint8Array
  readonly keccperm: Uint8Array
  readonly keccenc: Uint8Array
}

/** HKDF-SHA256 of the master into the audit and recovery keys (§7 "Keys"). */
export function deriveKeys(master: Uint8Array): AllKeys {
  const k = (info: string): Uint8Array => hkdf(sha256, master, new Uint8Array(0), utf8(info), 32)
  return {
    kchal: k('kchal'),
    kind: k('kind'),
    kenc: k('kenc'),
    kperm: k('kperm'),
    keccperm: k('keccperm'),
    keccenc: k('keccenc'),
  }
}

/** The per-root subkey `PRF(k, "root", LP(root))`, so roots never share sentinels. */
export function forRoot(k: Uint8Array, root: Uint8Array): Uint8Array {
  return PRF(k, 'root', lp(root))
}

/** Decodes the owner secret (kchal, kind, kenc); throws ProofFormatError. */
export function decodeOwner(bytes: Uint8Array): AuditKeys {
  const f = decodeFrame(bytes, {
    kind: FrameKind.ownerSecret,
    protocol: protocolIds[PROTO],
    suites: SUITES,
    known: [1, 2, 3],
  })
  return {
    kchal: readFixed(field(f, 1), 32, 'kchal'),
    kind: readFixed(field(f, 2), 32, 'kind'),
    kenc: readFixed(field(f, 3), 32, 'kenc'),
  }
}

/** The challenge secrets of sentinel j: kc_j and u_j in [1, W]. */
export function sentinelChallenge(
  keys: AuditKeys,
  root: Uint8Array,
  j: number,
  w: number,
): { kc: Uint8Array; u: number } {
  const kc = PRF(forRoot(keys.kchal, root), 'c', u64(j))
  const u = 1 + Number(os2ip(PRF(forRoot(keys.kind, root), 'u', u64(j)).subarray(0, 8)) % BigInt(w))
  return { kc, u }
}

/** `G[s][u] = OS2IP(Wide(GSeed, "G", u64(u) ‖ u64(s))) mod p`. */
export function gElement(gSeed: Uint8Array, s: number, u: number): bigint {
  return wideMod(gSeed, 'G', concat(u64(u), u64(s)), BJO_P)
}

/** M = Σ_{s=1..V'} F̃_{PRP_kc(s−1)} · G[s][u] mod p, over V' = min(V, t) positions. */
export async function sentinelValue(
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

/** GCM associated data of sentinel j: `LP(key_id) ‖ LP(root) ‖ u64(j)`. */
export function aad(keyId: Uint8Array, root: Uint8Array, j: number): Uint8Array {
  return concat(lp(keyId), lp(root), u64(j))
}

/** AES-256-GCM key of sentinel j: `PRF(kenc_root, "e", u64(j))`. */
export function sentinelKey(keys: AuditKeys, root: Uint8Array, j: number): Uint8Array {
  return PRF(forRoot(keys.kenc, root), 'e', u64(j))
}

/** Number of parity chunks for m file chunks. */
export function parityCount(m: number): number {
  return RS_PARITY * Math.ceil(m / RS_K)
}
