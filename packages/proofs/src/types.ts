/**
 * The typed byte strings that cross this library's boundary. Each is a PNPF frame of one kind,
 * branded so the compiler keeps a TA secret out of `prove` (storage-proofs.md §1: the prover never
 * holds tagging secrets); {@link asFrame} re-brands bytes loaded from storage after checking the kind.
 */
import { ensureFormat } from './errors.js'
import { FrameKind, peekFrameHeader, protocolName, type ProtocolName } from './frame.js'
import type { ChunkSource } from './chunks.js'
import type { RandomBytes } from './modarith.js'

declare const frameBrand: unique symbol

/** A PNPF frame of one kind. */
export type FrameBytes<K extends keyof typeof FrameKind> = Uint8Array & { readonly [frameBrand]: K }
/** The TA's tagging secret (kind 0x09): encrypt at rest, never give it to the prover. */
export type TaSecret = FrameBytes<'taSecret'>
/** What owners and third parties verify with (kind 0x01). */
export type PublicSetup = FrameBytes<'publicSetup'>
/** The owner's verification secret for private protocols (kind 0x02). */
export type OwnerSecret = FrameBytes<'ownerSecret'>
/** Everything the prover needs besides tags and data (kind 0x03); holds no secret. */
export type ProverSetup = FrameBytes<'proverSetup'>
/** Per-root descriptor (kind 0x05), signed by the service (§2.8). */
export type RootDescriptor = FrameBytes<'rootDescriptor'>
/** A batch of tags (or bjo sentinels) for consecutive chunks of one root (kind 0x04). */
export type TagBatch = FrameBytes<'tagBatch'>

/**
 * Checks that `bytes` is a PNPF frame of `kind` and returns it with that brand.
 *
 * @throws {@link ProofFormatError} if the header is not PNPF v1 of that kind or names no known protocol.
 */
export function asFrame<K extends keyof typeof FrameKind>(
  kind: K,
  bytes: Uint8Array,
): FrameBytes<K> {
  const header = peekFrameHeader(bytes)
  ensureFormat(header.kind === FrameKind[kind], `expected a ${kind} frame`)
  protocolName(header.protocol)
  return bytes as FrameBytes<K>
}

/** The protocol a frame belongs to; throws {@link ProofFormatError} on a malformed header. */
export function frameProtocol(bytes: Uint8Array): ProtocolName {
  return protocolName(peekFrameHeader(bytes).protocol)
}

/** Options of key creation. */
export interface KeyOptions {
  /** The key's id (1–64 bytes), bound into descriptors, challenges and bjo sentinels. */
  readonly keyId: Uint8Array
  /** Suite byte; defaults to the protocol's suite 1. */
  readonly suite?: number
  /** Sectors per chunk for sw-priv / sw-pub (1–256, default 64). */
  readonly sectors?: number
  /** bjo: chunks per challenge V (default 64). */
  readonly challengeSize?: number
  /** bjo: sentinels per root Q (default 1000). */
  readonly sentinels?: number
  /** CSPRNG; defaults to `crypto.getRandomValues`. */
  readonly random?: RandomBytes
  /**
   * Safe-prime generator for ateniese / erway (bits → p with (p−1)/2 prime). Defaults to a pure
   * BigInt search; on Node inject `crypto.generatePrimeSync(bits, { safe: true, bigint: true })`.
   */
  readonly safePrime?: (bits: number) => bigint | Promise<bigint>
}

/** The frames a new key consists of. */
export interface CreatedKey {
  readonly protocol: ProtocolName
  readonly taSecret: TaSecret
  readonly publicSetup: PublicSetup
  readonly proverSetup: ProverSetup
  /** Private protocols (sw-priv, ateniese, bjo): what the owner verifies with. */
  readonly ownerSecret?: OwnerSecret
}

/** The result of tagging one root. */
export interface TaggedRoot {
  readonly descriptor: RootDescriptor
  /** Tags (bjo: sentinels) in batches of consecutive indices, for the prover. */
  readonly tagBatches: readonly TagBatch[]
  /** bjo only: the encrypted parity chunks (31 bytes each), stored beside the DAG at the prover. */
  readonly sidecar?: Uint8Array
}

/** Reads the stored tag (bjo: sentinel) of index `i` of a root. */
export interface TagSource {
  tag(index: number): Promise<Uint8Array> | Uint8Array
}

/** What the prover holds for one root of a challenge. */
export interface ProverRoot {
  readonly descriptor: RootDescriptor
  readonly tags: TagSource
  /** Chunks of the root; bjo: of the encoded file F̃ (file chunks, then the sidecar's parity). */
  readonly chunks: ChunkSource
}

/** What an auditor verifies with: the key's public frames and the descriptors of its roots. */
export interface AuditMaterial {
  readonly keyId: Uint8Array
  readonly publicSetup: PublicSetup
  /** Required for sw-priv, ateniese and bjo. */
  readonly ownerSecret?: OwnerSecret
  /** Descriptors of the challenged roots, in challenge order. */
  readonly descriptors: readonly RootDescriptor[]
}

/** Why a verification failed (§2.7): `mismatch` for a wrong proof, `malformed` for a bad frame. */
export type FailureReason = 'mismatch' | 'malformed' | 'untrusted-setup'

/** Outcome of a verification. */
export type VerifyResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: FailureReason; readonly detail: string }

/** Verifies proofs for the one challenge it was built with. */
export interface Validator {
  /** The challenge frame this validator expects a proof for. */
  readonly challenge: Uint8Array
  /**
   * Verifies `proof` against `challenge` (which must be the one this validator built).
   * Never throws for bad proofs: malformed frames give `{ ok: false, reason: 'malformed' }`.
   */
  verify(challenge: Uint8Array, proof: Uint8Array): Promise<VerifyResult>
}

/** Options of challenge building. */
export interface ChallengeOptions {
  /** Number of chunks to challenge (1 ≤ c ≤ min(n, 100 000)); ignored by bjo, whose V is fixed. */
  readonly c: number
  /** CSPRNG for the seed (and ateniese's secret exponent). */
  readonly random?: RandomBytes
  /** A fixed seed (tests and known-answer vectors only). */
  readonly seed?: Uint8Array
}
