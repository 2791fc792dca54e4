/**
 * Proofs of storage over IPFS DAGs: the five protocols of storage-proofs.md — sw-priv, sw-pub
 * (BLS12-381), ateniese, erway and bjo — with their PNPF v1 frames, plus the BN254 compat suite of
 * the original product's sw-pub. Pure TypeScript over Uint8Array, @noble and BigInt: it runs in
 * Node and browsers. Roles are kept apart by type: the TA holds a {@link TaSecret}, the prover only a
 * {@link ProverSetup}, tags and data; auditors a {@link PublicSetup} (plus an {@link OwnerSecret}
 * for private protocols). Malformed input throws {@link ProofFormatError} (a RangeError) at the
 * boundary; verification returns `{ ok: false, reason }` instead of throwing.
 *
 * @example
 * ```ts
 * const key = await createKey('sw-pub', { keyId })
 * const tagged = await tagDag({ keyId, taSecret: key.taSecret, publicSetup: key.publicSetup, root, blocks })
 * const { challenge, validator } = buildChallenge(
 *   { keyId, publicSetup: key.publicSetup, descriptors: [tagged.descriptor] }, { c: 20 })
 * const proof = await prove(key.proverSetup, [{ descriptor: tagged.descriptor,
 *   tags: tagSource(key.proverSetup, tagged.descriptor, tagged.tagBatches), chunks }], challenge)
 * await validator.verify(challenge, proof) // { ok: true }
 * ```
 */
export {
  buildChallenge,
  chunkSizeOf,
  createKey,
  prove,
  tagDag,
  tagRoot,
  tagSource,
  tagWidthOf,
  type BuildChallengeOptions,
  type BuiltChallenge,
  type TagInput,
} from './api.js'
export { bjoChallengeIndex, type BjoAuditState } from './bjo.js'
export { bjoEncodedChunks } from './bjo-encode.js'
export {
  blockIds,
  chunkId,
  collectBlocks,
  createChunkReader,
  createManifest,
  type BlockInput,
  type BlockSource,
  type ChunkSource,
  type CidLike,
  type Manifest,
  type ManifestEntry,
} from './chunks.js'
export {
  challengeSummary,
  MAX_C,
  MAX_KEY_ID_BYTES,
  MAX_ROOTS,
  type ChallengeRoot,
  type ChallengeSummary,
} from './challenge.js'
export {
  decodeDescriptor,
  decodeTagBatch,
  type DecodedTagBatch,
  type Descriptor,
} from './descriptor.js'
export { ChallengesExhaustedError, ProofFormatError } from './errors.js'
export { FrameKind, MAX_FRAME_BYTES, protocolIds, type ProtocolName } from './frame.js'
export {
  createSigningKey,
  openEnvelope,
  signFrame,
  SignatureError,
  type SignaturePurpose,
} from './signing.js'
export {
  asFrame,
  frameProtocol,
  type AuditMaterial,
  type CreatedKey,
  type FailureReason,
  type FrameBytes,
  type KeyOptions,
  type OwnerSecret,
  type ProverRoot,
  type ProverSetup,
  type PublicSetup,
  type RootDescriptor,
  type TagBatch,
  type TaggedRoot,
  type TagSource,
  type TaSecret,
  type Validator,
  type VerifyResult,
} from './types.js'
export type { RandomBytes } from './modarith.js'
export {
  compatBuildChallenge,
  compatCreateKey,
  compatId,
  compatProve,
  compatSuperBlocks,
  compatTag,
  compatVerify,
  parseCompatChallenge,
  parseCompatSetup,
  COMPAT_DST,
  type CompatChallenge,
  type CompatProverRoot,
  type CompatRoot,
  type CompatSetup,
} from './sw-pub-compat.js'
export { fromBase64, toBase64 } from './base64.js'
