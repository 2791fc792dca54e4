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
import { gcm } from '@noble/ciphers/aes.js'
import { bytesEqual, i2osp, u32 } from './bytes.js'
import { decodeChallenge, encodeChallenge, type ChallengeCommon } from './challenge.js'
import { decodeDescriptor, type Descriptor } from './descriptor.js'
import { ChallengesExhaustedError, ensureFormat } from './errors.js'
import { decodeFrame, encodeFrame, field, FrameKind, protocolIds } from './frame.js'
import { createPrp } from './feistel.js'
import type { AuditMaterial, ProverRoot, ProverSetup, Validator } from './types.js'
import { createValidator, fail, OK } from './validator.js'
import { readFe, readFixed, readUint } from './values.js'

import {
  PROTO,
  SUITES,
  BJO_P,
  SENTINEL_BYTES,
  decodeParams,
  decodeOwner,
  sentinelChallenge,
  sentinelValue,
  aad,
  sentinelKey,
} from './bjo-common.js'

const C = { j: 0x10, kc: 0x11, u: 0x12 }

/** The sentinel index a bjo challenge uses, so the prover can record it and refuse repeats (§7). */
export function bjoChallengeIndex(challenge: Uint8Array): {
  keyId: Uint8Array
  root: Uint8Array
  j: number
} {
  const { common, frame } = decodeChallenge(challenge, PROTO, SUITES, [C.j, C.kc, C.u])
  ensureFormat(common.roots.length === 1, 'bjo challenges name exactly one root')
  return { keyId: common.keyId, root: common.roots[0]!.cid, j: readUint(field(frame, C.j), 4, 'j') }
}

/**
 * Answers challenge j: M = Σ F̃_{i_s}·G[s][u_j] over the positions PRP_{kc_j} gives, plus the stored
 * Q_j. `roots[0].chunks` must read F̃ (see {@link bjoEncodedChunks}); `tags` returns sentinel j at
 * index j − 1.
 */
export async function bjoProve(
  setup: ProverSetup,
  roots: readonly ProverRoot[],
  challenge: Uint8Array,
): Promise<Uint8Array> {
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
  const mj = await sentinelValue(
    (i) => root.chunks.chunk(i),
    createPrp(kc, t),
    common.c,
    params.gSeed,
    u,
  )
  const stored = await root.tags.tag(j - 1)
  ensureFormat(stored.length === SENTINEL_BYTES, 'stored sentinel has a wrong size')
  return encodeFrame(FrameKind.proof, protocolIds[PROTO], 1, [
    [0x10, i2osp(mj, 32)],
    [0x11, stored],
  ])
}

// bjo challenges count the encoded file F̃ (t chunks), so the count is checked against t, not m.
function resolveBjoRoot(
  common: ChallengeCommon,
  roots: readonly ProverRoot[],
): ProverRoot & { decoded: Descriptor } {
  const match = roots
    .map((r) => ({ r, d: decodeDescriptor(r.descriptor, PROTO, common.keyId) }))
    .find(({ d }) => bytesEqual(d.root, common.roots[0]!.cid))
  ensureFormat(match !== undefined, 'challenge names a root the prover does not hold')
  ensureFormat(
    match.d.encodedCount === common.roots[0]!.count,
    'challenge count differs from the descriptor',
  )
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
  if (!Number.isSafeInteger(state.used) || state.used < 0)
    throw new RangeError('used must be a non-negative integer')
  const j = state.used + 1
  if (j > params.q)
    throw new ChallengesExhaustedError(
      `all ${params.q} sentinels of this root are used; re-encode it`,
    )
  const { kc, u } = sentinelChallenge(keys, d.root, j, params.w)
  const t = d.encodedCount!
  const challenge = encodeChallenge(
    PROTO,
    1,
    { keyId: audit.keyId, c: Math.min(params.v, t), roots: [{ cid: d.root, count: t }], n: t },
    [
      [C.j, u32(j)],
      [C.kc, kc],
      [C.u, u32(u)],
    ],
  )
  return {
    challenge,
    j,
    state: { used: j },
    validator: createValidator(challenge, (proof) => {
      const f = decodeFrame(proof, {
        kind: FrameKind.proof,
        protocol: protocolIds[PROTO],
        suites: SUITES,
        known: [0x10, 0x11],
      })
      const m = readFe(field(f, 0x10), 32, BJO_P, 'M')
      const stored = readFixed(field(f, 0x11), SENTINEL_BYTES, 'Q_j')
      let plain: Uint8Array
      try {
        plain = gcm(
          sentinelKey(keys, d.root, j),
          stored.subarray(0, 12),
          aad(audit.keyId, d.root, j),
        ).decrypt(stored.subarray(12))
      } catch {
        return fail('mismatch', 'sentinel does not authenticate')
      }
      return bytesEqual(plain, i2osp(m, 32)) ? OK : fail('mismatch', 'M differs from the sentinel')
    }),
  }
}
