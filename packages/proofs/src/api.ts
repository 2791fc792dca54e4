/**
 * One entry point per role that dispatches on the protocol byte of the frames it is given, so a
 * service stores opaque frames and never switches on protocol names itself.
 */
import { atenieseChallenge, atenieseCreateKey, atenieseProve, atenieseTag } from './ateniese.js'
import { bjoChallenge, bjoProve, type BjoAuditState } from './bjo.js'
import { SENTINEL_BYTES } from './bjo-common.js'
import { bjoCreateKey, bjoTag } from './bjo-encode.js'
import {
  blockIds,
  collectBlocks,
  createChunkReader,
  type BlockInput,
  type BlockSource,
  type CidLike,
  type Manifest,
} from './chunks.js'
import { decodeDescriptor, tagSourceFromBatches } from './descriptor.js'
import { ensureFormat } from './errors.js'
import { erwayChallenge, erwayCreateKey, erwayProve, erwayTag } from './erway.js'
import { FrameKind, peekFrameHeader, protocolName, type ProtocolName } from './frame.js'
import type { RandomBytes } from './modarith.js'
import { readInt } from './values.js'
import { decodeFrame, field } from './frame.js'
import { byteLength } from './bytes.js'
import { swPrivChallenge, swPrivCreateKey, swPrivProve, swPrivTag } from './sw-priv.js'
import { SW_PUB_TAG_BYTES, swPubChallenge, swPubCreateKey, swPubProve, swPubTag } from './sw-pub.js'
import {
  asFrame,
  type AuditMaterial,
  type CreatedKey,
  type KeyOptions,
  type ProverRoot,
  type ProverSetup,
  type PublicSetup,
  type RootDescriptor,
  type TagSource,
  type TaggedRoot,
  type TaSecret,
  type Validator,
} from './types.js'
import { SECTOR_BYTES } from './sectors.js'
import { readUint } from './values.js'

/**
 * Creates a key of `protocol`: the TA secret (encrypt at rest, keep from the prover), the public
 * setup (`client_setup`), the prover setup and, for private protocols, the owner secret.
 *
 * @throws RangeError on bad options (sectors, suite, V, Q).
 */
export async function createKey(protocol: ProtocolName, opts: KeyOptions): Promise<CreatedKey> {
  if (!(opts.keyId instanceof Uint8Array) || opts.keyId.length < 1 || opts.keyId.length > 64) {
    throw new RangeError('keyId must be 1–64 bytes')
  }
  switch (protocol) {
    case 'sw-priv':
      return swPrivCreateKey(opts)
    case 'sw-pub':
      return swPubCreateKey(opts)
    case 'ateniese':
      return atenieseCreateKey(opts)
    case 'erway':
      return erwayCreateKey(opts)
    case 'bjo':
      return bjoCreateKey(opts)
    default:
      throw new TypeError(`unknown protocol ${String(protocol)}`)
  }
}

/**
 * Chunk size Z in bytes that a key's protocol tags with (31·s, 8192 or 31), read from any of its
 * setup frames; build manifests with it.
 *
 * @throws {@link ProofFormatError} on a malformed frame.
 */
export function chunkSizeOf(setup: PublicSetup | ProverSetup): number {
  const header = peekFrameHeader(setup)
  const protocol = protocolName(header.protocol)
  const kind = header.kind === FrameKind.publicSetup ? FrameKind.publicSetup : FrameKind.proverSetup
  const frame = decodeFrame(setup, {
    kind,
    protocol: header.protocol,
    known: [1, 2, 3, 4, 5],
    required: [],
  })
  if (protocol === 'sw-priv' || protocol === 'sw-pub')
    return SECTOR_BYTES * readUint(field(frame, 1), 2, 's')
  if (protocol === 'bjo') return readUint(field(frame, 5), 4, 'chunk_size')
  return readUint(field(frame, 3), 4, 'chunk_size')
}

/** Width in bytes of one stored tag (bjo: one sentinel) of a key. */
export function tagWidthOf(setup: PublicSetup | ProverSetup): number {
  const header = peekFrameHeader(setup)
  const protocol = protocolName(header.protocol)
  if (protocol === 'sw-priv') return 32
  if (protocol === 'sw-pub') return SW_PUB_TAG_BYTES
  if (protocol === 'bjo') return SENTINEL_BYTES
  const frame = decodeFrame(setup, {
    kind: header.kind as typeof FrameKind.publicSetup,
    protocol: header.protocol,
    known: [1, 2, 3],
    required: [1],
  })
  return byteLength(readInt(field(frame, 1), 3072, 'N'))
}

/** What the TA needs to tag one root. */
export interface TagInput {
  readonly keyId: Uint8Array
  /** The TA secret; for erway, the public setup also works (after the factors were erased). */
  readonly taSecret: TaSecret
  readonly publicSetup: PublicSetup
  /** Built with {@link createManifest} and {@link chunkSizeOf}. */
  readonly manifest: Manifest
  readonly blocks: BlockSource
  /** Tags per batch frame (default: up to a few MiB per frame). */
  readonly perBatch?: number
  /** CSPRNG for bjo's sentinel nonces. */
  readonly random?: RandomBytes
}

/**
 * Tags one root: returns its descriptor, its tags in batch frames and, for bjo, the parity sidecar.
 *
 * @throws {@link ProofFormatError} on malformed key frames; RangeError on a manifest of the wrong
 *   chunk size or blocks that do not match it.
 */
export async function tagRoot(input: TagInput): Promise<TaggedRoot> {
  const protocol = protocolName(peekFrameHeader(input.taSecret).protocol)
  ensureFormat(
    protocolName(peekFrameHeader(input.publicSetup).protocol) === protocol,
    'secret and setup of different protocols',
  )
  const chunks = createChunkReader(input.manifest, input.blocks)
  const { keyId, taSecret, manifest } = input
  switch (protocol) {
    case 'sw-priv':
      return swPrivTag(taSecret, keyId, manifest, chunks, input.perBatch)
    case 'sw-pub':
      return swPubTag(taSecret, keyId, manifest, chunks, input.perBatch)
    case 'ateniese':
      return atenieseTag(taSecret, keyId, manifest, chunks, input.perBatch)
    case 'erway':
      return erwayTag(taSecret, keyId, manifest, chunks, input.perBatch)
    case 'bjo':
      return bjoTag(taSecret, input.publicSetup, keyId, manifest, chunks, {
        ...(input.perBatch ? { perBatch: input.perBatch } : {}),
        ...(input.random ? { random: input.random } : {}),
      })
  }
}

/**
 * Tags a whole DAG given as an (async) iterable of blocks, buffering it in memory: the convenience
 * path for small DAGs. Returns the tagged root plus its manifest and `block_ids`.
 */
export async function tagDag(
  input: Omit<TagInput, 'manifest' | 'blocks'> & {
    root: CidLike
    blocks: AsyncIterable<BlockInput> | Iterable<BlockInput>
  },
): Promise<TaggedRoot & { manifest: Manifest; blockIds: string[] }> {
  const { manifest, source } = await collectBlocks(
    input.root,
    input.blocks,
    chunkSizeOf(input.publicSetup),
  )
  const tagged = await tagRoot({ ...input, manifest, blocks: source })
  return { ...tagged, manifest, blockIds: blockIds(manifest) }
}

/**
 * A {@link TagSource} over a root's stored tag batches, checked against the key and root.
 *
 * @throws {@link ProofFormatError} on malformed, foreign or overlapping batches.
 */
export function tagSource(
  proverSetup: ProverSetup,
  descriptor: RootDescriptor,
  batches: readonly Uint8Array[],
): TagSource {
  const protocol = protocolName(peekFrameHeader(proverSetup).protocol)
  const d = decodeDescriptor(descriptor, protocol)
  return tagSourceFromBatches(batches, protocol, tagWidthOf(proverSetup), d.root)
}

/**
 * Answers a challenge with a proof frame. Takes only the prover setup, tags and data: no secret can
 * reach this path (a TA secret frame is rejected by kind).
 *
 * @throws {@link ProofFormatError} on a malformed challenge or setup, or roots/counts that do not
 *   match the stored descriptors; RangeError when data or tags are missing.
 */
export async function prove(
  proverSetup: ProverSetup,
  roots: readonly ProverRoot[],
  challenge: Uint8Array,
): Promise<Uint8Array> {
  const setup = asFrame('proverSetup', proverSetup)
  switch (protocolName(peekFrameHeader(setup).protocol)) {
    case 'sw-priv':
      return swPrivProve(setup, roots, challenge)
    case 'sw-pub':
      return swPubProve(setup, roots, challenge)
    case 'ateniese':
      return atenieseProve(setup, roots, challenge)
    case 'erway':
      return erwayProve(setup, roots, challenge)
    case 'bjo':
      return bjoProve(setup, roots, challenge)
  }
}

/** Options of {@link buildChallenge}. */
export interface BuildChallengeOptions {
  /** Chunks to challenge (ignored by bjo, whose V is fixed per key). */
  readonly c: number
  readonly random?: RandomBytes
  /** Fixed seed, for known-answer tests only. */
  readonly seed?: Uint8Array
  /** bjo: the root's persisted audit state (required for bjo). */
  readonly bjo?: BjoAuditState
}

/** A challenge, its validator, and (bjo) the audit state to persist before sending. */
export interface BuiltChallenge {
  readonly challenge: Uint8Array
  readonly validator: Validator
  /** bjo only: persist this before the challenge leaves the process. */
  readonly bjo?: BjoAuditState
}

/**
 * Builds a challenge over the audit material's roots (in order) and a validator for it.
 *
 * @throws {@link ProofFormatError} on malformed or tampered material; {@link ChallengesExhaustedError}
 *   for a bjo root whose Q sentinels are used; RangeError on a bad `c`.
 */
export function buildChallenge(audit: AuditMaterial, opts: BuildChallengeOptions): BuiltChallenge {
  const setup = asFrame('publicSetup', audit.publicSetup)
  const rest = {
    c: opts.c,
    ...(opts.random ? { random: opts.random } : {}),
    ...(opts.seed ? { seed: opts.seed } : {}),
  }
  switch (protocolName(peekFrameHeader(setup).protocol)) {
    case 'sw-priv':
      return swPrivChallenge(audit, rest)
    case 'sw-pub':
      return swPubChallenge(audit, rest)
    case 'ateniese':
      return atenieseChallenge(audit, rest)
    case 'erway':
      return erwayChallenge(audit, rest)
    case 'bjo': {
      if (!opts.bjo) throw new TypeError('bjo challenges need the persisted audit state')
      const built = bjoChallenge(audit, opts.bjo)
      return { challenge: built.challenge, validator: built.validator, bjo: built.state }
    }
  }
}
