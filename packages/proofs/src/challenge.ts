/**
 * What every challenge shares (storage-proofs.md §2.3, §2.4, §2.6): the ordered root list, the
 * context hash that binds it, seed-derived positions and coefficients, and the common frame fields.
 */
import { bytesEqual, concat, lp, os2ip, u32, u64, u8 } from './bytes.js'
import { ensureFormat } from './errors.js'
import {
  decodeFrame,
  encodeFrame,
  field,
  FrameKind,
  peekFrameHeader,
  protocolIds,
  protocolName,
  type Frame,
  type ProtocolName,
} from './frame.js'
import { H, HMAC, label, PRF, wideMod } from './hash.js'
import { readFixed, readList, readU64, readUint, writeList } from './values.js'

/** Largest `c` a challenge may carry (§2.5). */
export const MAX_C = 100_000
/** Largest number of roots in one challenge (§2.5). */
export const MAX_ROOTS = 1024
/** Largest key id in bytes (§2.6). */
export const MAX_KEY_ID_BYTES = 64

/** One entry of a challenge's ordered root list. */
export interface ChallengeRoot {
  /** Raw root CID bytes. */
  readonly cid: Uint8Array
  /** The root's chunk count, from the verifier's own descriptor. */
  readonly count: number
}

/** The fields of §2.6 common to every challenge. */
export interface ChallengeCommon {
  readonly keyId: Uint8Array
  /** 32 bytes from the verifier's CSPRNG; absent for bjo. */
  readonly seed?: Uint8Array
  readonly c: number
  readonly roots: readonly ChallengeRoot[]
  /** Σ count. */
  readonly n: number
}

/** Field numbers of §2.6. */
export const ChallengeField = { keyId: 0x01, seed: 0x02, c: 0x03, roots: 0x04, n: 0x05 } as const

/**
 * Checks the common fields' invariants: key id ≤ 64 bytes, 1 ≤ m ≤ 1024, counts ≥ 1,
 * n = Σ count, 1 ≤ c ≤ min(n, 100 000), a 32-byte seed where one is used.
 *
 * @throws {@link ProofFormatError} naming the first violated rule.
 */
export function checkChallengeCommon(common: ChallengeCommon, withSeed: boolean): void {
  ensureFormat(
    common.keyId.length >= 1 && common.keyId.length <= MAX_KEY_ID_BYTES,
    'key_id must be 1–64 bytes',
  )
  ensureFormat(
    common.roots.length >= 1 && common.roots.length <= MAX_ROOTS,
    'a challenge names 1–1024 roots',
  )
  let n = 0
  for (const r of common.roots) {
    ensureFormat(Number.isSafeInteger(r.count) && r.count >= 1, 'root count must be ≥ 1')
    ensureFormat(r.cid.length >= 1, 'empty root CID')
    n += r.count
  }
  ensureFormat(
    Number.isSafeInteger(common.n) && common.n === n,
    'n must equal the sum of root counts',
  )
  ensureFormat(Number.isSafeInteger(common.c) && common.c >= 1, 'c must be ≥ 1')
  ensureFormat(common.c <= MAX_C, `c above the limit of ${MAX_C}`)
  ensureFormat(common.c <= n, 'c above n')
  if (withSeed) ensureFormat(common.seed?.length === 32, 'seed must be 32 bytes')
  else ensureFormat(common.seed === undefined, 'this protocol takes no seed')
}

/** Encodes a challenge frame: the common fields plus protocol fields (0x10+). */
export function encodeChallenge(
  protocol: ProtocolName,
  suite: number,
  common: ChallengeCommon,
  extra: ReadonlyArray<readonly [number, Uint8Array]>,
): Uint8Array {
  checkChallengeCommon(common, protocol !== 'bjo')
  return encodeFrame(FrameKind.challenge, protocolIds[protocol], suite, [
    [ChallengeField.keyId, common.keyId],
    [ChallengeField.seed, common.seed],
    [ChallengeField.c, u32(common.c)],
    [ChallengeField.roots, writeList(common.roots.map((r) => concat(lp(r.cid), u64(r.count))))],
    [ChallengeField.n, u64(common.n)],
    ...extra,
  ])
}

/**
 * Decodes a challenge frame and checks its common fields.
 *
 * @param extraKnown protocol field numbers (0x10+) the caller reads.
 * @param extraRequired those of them that must be present (default: all of them).
 * @throws {@link ProofFormatError} on any structural or semantic violation (oversized c, n ≠ Σ
 *   count, truncated list…).
 */
export function decodeChallenge(
  bytes: Uint8Array,
  protocol: ProtocolName,
  suites: readonly number[],
  extraKnown: readonly number[],
  extraRequired: readonly number[] = extraKnown,
): { common: ChallengeCommon; frame: Frame } {
  const withSeed = protocol !== 'bjo'
  const common = [ChallengeField.keyId, ChallengeField.c, ChallengeField.roots, ChallengeField.n]
  const known = withSeed ? [...common, ChallengeField.seed] : common
  const frame = decodeFrame(bytes, {
    kind: FrameKind.challenge,
    protocol: protocolIds[protocol],
    suites,
    known: [...known, ...extraKnown],
    required: [...known, ...extraRequired],
  })
  const roots = readList(field(frame, ChallengeField.roots), MAX_ROOTS, 'roots').map((item) => {
    ensureFormat(item.length >= 12, 'root entry truncated')
    const len = readUint(item.subarray(0, 4), 4, 'root CID length')
    ensureFormat(item.length === 4 + len + 8, 'root entry has a wrong length')
    return { cid: item.slice(4, 4 + len), count: readU64(item.subarray(4 + len), 'root count') }
  })
  const parsed: ChallengeCommon = {
    keyId: readFixed(
      field(frame, ChallengeField.keyId),
      field(frame, ChallengeField.keyId).length,
      'key_id',
    ),
    ...(withSeed ? { seed: readFixed(field(frame, ChallengeField.seed), 32, 'seed') } : {}),
    c: readUint(field(frame, ChallengeField.c), 4, 'c'),
    roots,
    n: readU64(field(frame, ChallengeField.n), 'n'),
  }
  checkChallengeCommon(parsed, withSeed)
  return { common: parsed, frame }
}

/** `ctx = H(LP(key_id) ‖ u8(proto) ‖ u8(suite) ‖ u32(m) ‖ for each root: LP(cid) ‖ u64(count))` (§2.4). */
export function challengeContext(
  protocol: ProtocolName,
  suite: number,
  keyId: Uint8Array,
  roots: readonly ChallengeRoot[],
): Uint8Array {
  return H(
    lp(keyId),
    u8(protocolIds[protocol]),
    u8(suite),
    u32(roots.length),
    ...roots.flatMap((r) => [lp(r.cid), u64(r.count)]),
  )
}

/** `K = HMAC(seed, LP(L(proto, "challenge")) ‖ ctx)` (§2.4). */
export function challengeKey(
  protocol: ProtocolName,
  seed: Uint8Array,
  ctx: Uint8Array,
): Uint8Array {
  return HMAC(seed, lp(label(protocol, 'challenge')), ctx)
}

/**
 * The `c` distinct positions in [0, n), in draw order t = 0..c−1 (§2.4): all of them in natural
 * order when c = n, otherwise rejection-sampled from `PRF(K, "idx", u64(ctr))`. O(c) HMACs.
 */
export function derivePositions(key: Uint8Array, c: number, n: number): number[] {
  if (c === n) return Array.from({ length: n }, (_, i) => i)
  const bn = BigInt(n)
  const two64 = 1n << 64n
  const limit = two64 - (two64 % bn)
  const chosen = new Set<number>()
  const out: number[] = []
  for (let ctr = 0; out.length < c; ctr++) {
    const x = os2ip(PRF(key, 'idx', u64(ctr)).subarray(0, 8))
    if (x >= limit) continue
    const p = Number(x % bn)
    if (chosen.has(p)) continue
    chosen.add(p)
    out.push(p)
  }
  return out
}

/** Field coefficients `ν_t = OS2IP(Wide(K, "coef", u64(t))) mod q` for t = 0..c−1 (§2.4). */
export function fieldCoefficients(key: Uint8Array, c: number, q: bigint): bigint[] {
  return Array.from({ length: c }, (_, t) => wideMod(key, 'coef', u64(t), q))
}

/** 128-bit coefficients `a_t = OS2IP(first 16 bytes of PRF(K, "coef", u64(t))) + 1` (§2.4). */
export function smallCoefficients(key: Uint8Array, c: number): bigint[] {
  return Array.from({ length: c }, (_, t) => os2ip(PRF(key, 'coef', u64(t)).subarray(0, 16)) + 1n)
}

/** Maps a global position to (root index, local index) per §2.3. */
export function locate(
  roots: readonly ChallengeRoot[],
  position: number,
): { root: number; index: number } {
  let p = position
  for (let k = 0; k < roots.length; k++) {
    const count = roots[k]!.count
    if (p < count) return { root: k, index: p }
    p -= count
  }
  throw new RangeError(`position ${position} beyond n`)
}

/** Positions and the root each falls in, derived once for both prover and verifier. */
export interface ChallengeSelection {
  readonly positions: readonly { root: number; index: number }[]
  readonly key: Uint8Array
}

/** Derives the selection of a seeded challenge (§2.4). */
export function selectChallenge(
  protocol: ProtocolName,
  suite: number,
  common: ChallengeCommon,
): ChallengeSelection {
  const ctx = challengeContext(protocol, suite, common.keyId, common.roots)
  const key = challengeKey(protocol, common.seed!, ctx)
  const positions = derivePositions(key, common.c, common.n).map((p) => locate(common.roots, p))
  return { positions, key }
}

/** True when two root lists are the same ordered list. */
export function sameRoots(a: readonly ChallengeRoot[], b: readonly ChallengeRoot[]): boolean {
  return (
    a.length === b.length &&
    a.every((r, i) => r.count === b[i]!.count && bytesEqual(r.cid, b[i]!.cid))
  )
}

/** A challenge's protocol and common fields, as {@link challengeSummary} reads them. */
export interface ChallengeSummary extends ChallengeCommon {
  readonly protocol: ProtocolName
  readonly suite: number
}

/**
 * Reads the common fields of any protocol's challenge frame (key id, c, the ordered roots, n)
 * without answering it, so a service can apply its own limits (a smaller c, known roots) before
 * it spends CPU on a proof. Protocol fields (0x10–0x7F) are skipped here; `prove` checks them.
 *
 * @throws {@link ProofFormatError} on a malformed frame or violated common invariant.
 */
export function challengeSummary(bytes: Uint8Array): ChallengeSummary {
  const header = peekFrameHeader(bytes)
  ensureFormat(header.kind === FrameKind.challenge, 'expected a challenge frame')
  const protocol = protocolName(header.protocol)
  const protocolFields = Array.from({ length: 0x70 }, (_, i) => 0x10 + i)
  const { common } = decodeChallenge(bytes, protocol, [header.suite], protocolFields, [])
  return { ...common, protocol, suite: header.suite }
}
