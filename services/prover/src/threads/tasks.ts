/**
 * What the tagging authority does, as plain functions over bytes: make a key (sealing its TA secret
 * before it leaves) and tag one root (opening the secret only here). They run inside a tagging
 * thread (`worker.ts`); nothing they return holds a secret in the clear.
 */
import {
  chunkSizeOf,
  compatCreateKey,
  compatSuperBlocks,
  compatTag,
  createKey,
  decodeTagBatch,
  frameProtocol,
  parseCompatSetup,
  tagRoot,
  tagWidthOf,
  asFrame,
  FrameKind,
  type BlockSource,
  type Manifest,
  type ProtocolName,
} from '@pinion/proofs'
import { openSecret, sealSecret } from './secret-box.js'

/** Tags per stored batch: small enough that a proof loads only the batches it needs. */
export const TAGS_PER_BATCH = 1024

/** sw-pub sectors per super-block in the bn254-compat suite (the original's test vector uses 4). */
export const COMPAT_DEFAULT_SECTORS = 4
/** Bytes of one bn254-compat tag (uncompressed G1, x ‖ y). */
export const COMPAT_TAG_BYTES = 64
/** Bytes per sector in bn254-compat: 31, so every sector is below BN254's r (proofs-original §1.5). */
export const COMPAT_SECTOR_BYTES = 31

/** Make a key. */
export interface CreateKeyTask {
  readonly kind: 'createKey'
  readonly keyId: string
  readonly protocol: ProtocolName
  /** true: the sw-pub bn254-compat suite (original JSON wire). */
  readonly compat: boolean
  readonly suite?: number
  readonly sectors?: number
  /** bjo: V. */
  readonly challengeSize?: number
  /** bjo: Q. */
  readonly sentinels?: number
}

/** A new key: public frames, the owner secret (private protocols) and the sealed TA secret. */
export interface CreatedKeyFrames {
  readonly suite: number
  readonly clientSetup: Uint8Array
  readonly proverSetup: Uint8Array
  readonly ownerSecret?: Uint8Array
  readonly sealedSecret: Uint8Array
}

/** Tag one root of a key. */
export interface TagTask {
  readonly kind: 'tag'
  readonly keyId: string
  readonly compat: boolean
  readonly sealedSecret: Uint8Array
  /** The key's public setup (bn254-compat: its client_setup JSON). */
  readonly clientSetup: Uint8Array
  readonly manifest: Manifest
}

/** One stored batch of tags. */
export interface StoredBatch {
  readonly first: number
  readonly count: number
  readonly frame: Uint8Array
}

/** A tagged root, as the prover stores it. */
export interface TaggedFrames {
  /** PNPF root descriptor; absent for bn254-compat. */
  readonly descriptor?: Uint8Array
  readonly chunkCount: number
  readonly batches: readonly StoredBatch[]
  /** bjo only. */
  readonly sidecar?: Uint8Array
}

/** What a task may use besides its input. */
export interface TaskEnvironment {
  /** AES-256-GCM key of sealed TA secrets. */
  readonly sealKey: Uint8Array
  /** Safe-prime generator for ateniese / erway. */
  readonly safePrime: (bits: number) => bigint
}

const utf8 = (s: string) => new TextEncoder().encode(s)

/** Creates a key; the TA secret leaves this function sealed only. */
export async function runCreateKey(
  task: CreateKeyTask,
  env: TaskEnvironment,
): Promise<CreatedKeyFrames> {
  if (task.compat) {
    const key = compatCreateKey({ sectors: task.sectors ?? COMPAT_DEFAULT_SECTORS })
    return {
      suite: 0x80,
      clientSetup: key.clientSetup,
      proverSetup: key.clientSetup,
      sealedSecret: sealSecret(env.sealKey, task.keyId, key.secret),
    }
  }
  const key = await createKey(task.protocol, {
    keyId: utf8(task.keyId),
    safePrime: env.safePrime,
    ...(task.suite !== undefined ? { suite: task.suite } : {}),
    ...(task.sectors !== undefined ? { sectors: task.sectors } : {}),
    ...(task.challengeSize !== undefined ? { challengeSize: task.challengeSize } : {}),
    ...(task.sentinels !== undefined ? { sentinels: task.sentinels } : {}),
  })
  return {
    suite: key.publicSetup[7]!,
    clientSetup: key.publicSetup,
    proverSetup: key.proverSetup,
    ...(key.ownerSecret ? { ownerSecret: key.ownerSecret } : {}),
    sealedSecret: sealSecret(env.sealKey, task.keyId, key.taSecret),
  }
}

/**
 * Chunk size `Z` of a key, from its public or prover setup (bn254-compat: its client_setup JSON).
 *
 * @throws ProofFormatError on a malformed setup.
 */
export function keyChunkSize(compat: boolean, setup: Uint8Array): number {
  if (compat) return COMPAT_SECTOR_BYTES * parseCompatSetup(setup).s
  return chunkSizeOf(
    setup[5] === FrameKind.publicSetup
      ? asFrame('publicSetup', setup)
      : asFrame('proverSetup', setup),
  )
}

/** Tags one root; the TA secret is opened here and dropped when the function returns. */
export async function runTag(
  task: TagTask,
  env: TaskEnvironment,
  blocks: BlockSource,
): Promise<TaggedFrames> {
  const secret = openSecret(env.sealKey, task.keyId, task.sealedSecret)
  try {
    if (task.compat) return await tagCompat(task, secret, blocks)
    const publicSetup = asFrame('publicSetup', task.clientSetup)
    const tagged = await tagRoot({
      keyId: utf8(task.keyId),
      taSecret: asFrame('taSecret', secret),
      publicSetup,
      manifest: task.manifest,
      blocks,
      perBatch: TAGS_PER_BATCH,
    })
    const protocol = frameProtocol(publicSetup)
    const width = tagWidthOf(publicSetup)
    return {
      descriptor: tagged.descriptor,
      chunkCount: task.manifest.chunkCount,
      batches: tagged.tagBatches.map((frame) => {
        const decoded = decodeTagBatch(frame, protocol, width)
        return { first: decoded.first, count: decoded.tags.length, frame }
      }),
      ...(tagged.sidecar ? { sidecar: tagged.sidecar } : {}),
    }
  } finally {
    secret.fill(0)
  }
}

async function tagCompat(
  task: TagTask,
  secret: Uint8Array,
  blocks: BlockSource,
): Promise<TaggedFrames> {
  const z = keyChunkSize(true, task.clientSetup)
  const superBlocks = compatSuperBlocks(task.manifest, blocks, z)
  const tags = await compatTag(secret, task.clientSetup, task.manifest.root, superBlocks)
  const batches: StoredBatch[] = []
  for (let first = 0; first < tags.length; first += TAGS_PER_BATCH) {
    const slice = tags.slice(first, first + TAGS_PER_BATCH)
    batches.push({ first, count: slice.length, frame: Buffer.concat(slice) })
  }
  return { chunkCount: superBlocks.count, batches }
}
