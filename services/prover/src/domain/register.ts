/**
 * Client-side tagging (`POST /register`, storage-proofs.md §1): the owner is the tagging authority,
 * tags locally with a key id it chose, and hands the service only what a prover holds — the prover
 * setup, the tag batches, the root descriptor (and bjo's parity sidecar). The service never sees a
 * secret, so its proofs protect the owner against the operator too.
 *
 * Everything is checked against the pinned DAG before it is stored: the descriptor must belong to
 * the key and root, its counts must match the DAG's own manifest, and the batches must cover every
 * chunk (bjo: every sentinel) exactly once.
 */
import type { Blockstore } from '@pinion/blockstore'
import type { PrismaClient } from '@pinion/db'
import {
  asFrame,
  bjoEncodedChunks,
  chunkSizeOf,
  createChunkReader,
  createManifest,
  decodeDescriptor,
  decodeTagBatch,
  frameProtocol,
  ProofFormatError,
  tagWidthOf,
  type Descriptor,
  type ProtocolName,
} from '@pinion/proofs'
import { isUuid } from '@pinion/db'
import { AppError, BadRequestError, NotFoundError } from '@pinion/service-kit'
import type { CID } from 'multiformats/cid'
import { findKey, insertKey } from '../store/keys.js'
import { isPinnedBy } from '../store/pins.js'
import { deleteTag, resetTagJob, saveTagResult } from '../store/tags.js'
import { encodeManifest } from './manifest-codec.js'
import { parseRoot } from './roots.js'

/** What registration uses. */
export interface RegisterComponents {
  readonly prisma: PrismaClient
  readonly blockstore: Blockstore
}

/** A registration, with frames already decoded from base64. */
export interface Registration {
  readonly userId: string
  readonly keyId: string
  readonly root: string
  readonly proverSetup: Uint8Array
  readonly tags: readonly Uint8Array[]
  readonly rootDescriptor: Uint8Array
  readonly clientSetup?: Uint8Array
  readonly sidecar?: Uint8Array
  readonly challengeSize?: number
}

/**
 * Registers client-made tags for a pinned root; the first registration of a key id creates the
 * (client-tagged) key.
 *
 * @throws BadRequestError for malformed or inconsistent frames or an unpinned root; NotFoundError
 *   when the key id is someone else's; AppError CONFLICT when it is a server-tagged key or its
 *   prover setup differs from the registered one.
 */
export async function registerTags(
  components: RegisterComponents,
  request: Registration,
): Promise<{ key_id: string; root: string; chunk_count: number; block_ids: string[] }> {
  if (!isUuid(request.keyId)) throw new BadRequestError('key_id must be a UUID you generated')
  const cid = parseRoot(request.root)
  const existing = await findKey(components.prisma, request.keyId)
  if (existing && existing.userId !== request.userId)
    throw new NotFoundError('no such challenge key')
  if (existing?.tagging === 'server')
    throw new AppError('CONFLICT', { details: 'this key is tagged by the service: use POST /tag' })
  if (existing && !Buffer.from(existing.proverSetup).equals(request.proverSetup))
    throw new AppError('CONFLICT', { details: 'prover_setup differs from the one registered' })
  if (!(await isPinnedBy(components.prisma, request.userId, cid)))
    throw new BadRequestError('only content you have pinned (status "pinned") can be registered')

  const checked = await check(components, request, cid).catch((error: unknown) => {
    if (error instanceof ProofFormatError)
      throw new BadRequestError(`malformed: ${error.message}`, { cause: error })
    throw error
  })
  await components.prisma.$transaction(async (tx) => {
    if (!existing)
      await insertKey(tx, {
        id: request.keyId,
        userId: request.userId,
        protocol: checked.protocol,
        suite: checked.descriptor.suite,
        challengeSize: request.challengeSize ?? 20,
        tagging: 'client',
        clientSetup: request.clientSetup ?? null,
        proverSetup: request.proverSetup,
        encryptedSecret: null,
      })
    const row = await resetTagJob(tx, request.keyId, request.root)
    await saveTagResult(tx, row.id, {
      descriptor: request.rootDescriptor,
      chunkCount: checked.descriptor.chunkCount,
      manifest: checked.manifest,
      blockIds: checked.blockIds,
      sidecar: request.sidecar ?? null,
      batches: checked.batches,
    })
  })
  return {
    key_id: request.keyId,
    root: request.root,
    chunk_count: checked.descriptor.chunkCount,
    block_ids: checked.blockIds,
  }
}

async function check(components: RegisterComponents, request: Registration, cid: CID) {
  const setup = asFrame('proverSetup', request.proverSetup)
  const protocol: ProtocolName = frameProtocol(setup)
  if (request.clientSetup) asFrame('publicSetup', request.clientSetup)
  const keyIdBytes = new TextEncoder().encode(request.keyId)
  const descriptor = decodeDescriptor(request.rootDescriptor, protocol, keyIdBytes)
  if (!Buffer.from(descriptor.root).equals(cid.bytes))
    throw new ProofFormatError('root_descriptor names another root')
  const blocks: { cid: CID; size: number }[] = []
  for await (const node of components.blockstore.walkDag(cid)) blocks.push(node)
  const manifest = createManifest(cid.bytes, blocks, chunkSizeOf(setup))
  if (
    descriptor.chunkSize !== manifest.chunkSize ||
    descriptor.chunkCount !== manifest.chunkCount ||
    descriptor.totalBytes !== manifest.totalBytes
  )
    throw new ProofFormatError('root_descriptor does not match the pinned DAG')
  if (protocol === 'bjo') {
    if (!request.sidecar) throw new ProofFormatError('bjo needs its parity sidecar')
    const reader = createChunkReader(manifest, { get: () => new Uint8Array(0) })
    bjoEncodedChunks(asFrame('rootDescriptor', request.rootDescriptor), reader, request.sidecar)
  } else if (request.sidecar) throw new ProofFormatError('only bjo has a sidecar')
  return {
    protocol,
    descriptor,
    manifest: encodeManifest(manifest),
    blockIds: manifest.entries.map((e) => e.id),
    batches: checkBatches(request.tags, protocol, tagWidthOf(setup), descriptor),
  }
}

// The batches must cover [0, count) exactly once: count = chunks, or bjo's Q sentinels.
function checkBatches(
  frames: readonly Uint8Array[],
  protocol: ProtocolName,
  width: number,
  descriptor: Descriptor,
) {
  const count = protocol === 'bjo' ? descriptor.sentinels! : descriptor.chunkCount
  const batches = frames
    .map((frame) => {
      const decoded = decodeTagBatch(frame, protocol, width)
      if (!Buffer.from(decoded.root).equals(descriptor.root))
        throw new ProofFormatError('a tag batch belongs to another root')
      return { first: decoded.first, count: decoded.tags.length, frame }
    })
    .sort((a, b) => a.first - b.first)
  let next = 0
  for (const b of batches) {
    if (b.first !== next) throw new ProofFormatError('tag batches overlap or leave a gap')
    next += b.count
  }
  if (next !== count) throw new ProofFormatError(`tags must cover exactly ${count} indices`)
  return batches
}

/**
 * Removes the tags of (key, root) — registered or server-made.
 *
 * @throws NotFoundError when the key is not the user's or the root has no tags under it.
 */
export async function unregister(
  components: Pick<RegisterComponents, 'prisma'>,
  userId: string,
  keyId: string,
  root: string,
): Promise<void> {
  const key = await findKey(components.prisma, keyId)
  if (!key || key.userId !== userId) throw new NotFoundError('no such challenge key')
  if (!(await deleteTag(components.prisma, keyId, root)))
    throw new NotFoundError('this root is not tagged under this key')
}
