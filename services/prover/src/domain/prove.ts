/**
 * `POST /prover/prove`: answer an auditor's challenge over one or more tagged roots of a key with
 * one aggregated proof. The service reads only the key's prover setup, the roots' descriptors,
 * manifests and tags, and the blocks; the proof is computed in a proving thread that holds no seal
 * key. An empty `roots` list means every ready root of the key, in CID-byte order (§2.3).
 */
import type { Blockstore } from '@pinion/blockstore'
import type { PrismaClient } from '@pinion/db'
import {
  asFrame,
  bjoChallengeIndex,
  challengeSummary,
  parseCompatChallenge,
  ProofFormatError,
  tagSource,
  type TagSource,
} from '@pinion/proofs'
import { AppError, BadRequestError, NotFoundError } from '@pinion/service-kit'
import { CID } from 'multiformats/cid'
import { findKeyForProving, recordAudit } from '../store/keys.js'
import { claimSentinel, findBatch, findReadyRoots } from '../store/tags.js'
import type { ProveRoot } from '../threads/prove-task.js'
import { COMPAT_TAG_BYTES, keyChunkSize } from '../threads/tasks.js'
import type { ThreadPool } from '../threads/thread-pool.js'
import { decodeManifest } from './manifest-codec.js'
import { byRootBytes } from './roots.js'
import { COMPAT_SUITE } from './suites.js'

/** What proving uses: no seal key, no TA secret. */
export interface ProveComponents {
  readonly prisma: PrismaClient
  readonly blockstore: Blockstore
  /** The proving threads (started without the seal key). */
  readonly proving: ThreadPool
}

/** A challenge to answer. */
export interface ProveRequest {
  readonly keyId: string
  /** Root CIDs in challenge order; empty = every ready root of the key. */
  readonly roots: readonly string[]
  readonly challenge: Uint8Array
}

/** The proof and its media type. */
export interface ProveResponse {
  readonly proof: Uint8Array
  readonly contentType: string
}

/** PNPF proof frames (§2.5); the compat suite answers with the original's JSON as octets. */
export const PROOF_MEDIA_TYPE = 'application/vnd.pinion.proof+pnpf'

/**
 * Answers a challenge.
 *
 * @throws NotFoundError (unknown key or untagged root); BadRequestError (malformed challenge, one for
 *   another key or protocol, c above `maxC`); AppError CONFLICT (a bjo sentinel already answered);
 *   AppError UNPROCESSABLE_ENTITY (the data of a challenged chunk cannot be read).
 */
export async function answerChallenge(
  components: ProveComponents,
  init: { maxC: number },
  request: ProveRequest,
): Promise<ProveResponse> {
  const key = await findKeyForProving(components.prisma, request.keyId)
  if (!key) throw new NotFoundError('no such challenge key')
  const compat = key.suite === COMPAT_SUITE
  const loaded = await loadRoots(components, key.id, request.roots)
  const c = compat
    ? checkCompat(request.challenge)
    : await checkPnpf(components, key, loaded, request.challenge)
  if (c > init.maxC)
    throw new BadRequestError(`c = ${c} is above this service's limit of ${init.maxC}`)
  const roots: ProveRoot[] = loaded.map((r) => ({
    ...(r.descriptor ? { descriptor: r.descriptor } : {}),
    manifest: decodeManifest(CID.parse(r.root), r.manifest!, keyChunkSize(compat, key.proverSetup)),
    ...(r.sidecar ? { sidecar: r.sidecar } : {}),
    chunkCount: Number(r.chunkCount),
  }))
  let proof: Uint8Array
  try {
    proof = await components.proving.run<Uint8Array>(
      { kind: 'prove', compat, proverSetup: key.proverSetup, roots, challenge: request.challenge },
      {
        blocks: { get: (cid) => components.blockstore.get(CID.decode(cid)) },
        tags: loaded.map((r) =>
          storedTags(components.prisma, r.id, tagDecoder(compat, key.proverSetup, r)),
        ),
      },
    )
  } catch (error) {
    if (error instanceof ProofFormatError)
      throw new BadRequestError(`malformed: ${error.message}`, { cause: error })
    throw new AppError('UNPROCESSABLE_ENTITY', {
      details: `no proof could be made: ${error instanceof Error ? error.message : 'unknown error'}`,
      cause: error,
    })
  }
  await recordAudit(components.prisma, key.id, c)
  return { proof, contentType: compat ? 'application/octet-stream' : PROOF_MEDIA_TYPE }
}

type LoadedRoot = Awaited<ReturnType<typeof findReadyRoots>>[number]

async function loadRoots(components: ProveComponents, keyId: string, roots: readonly string[]) {
  if (roots.length === 0) {
    const all = byRootBytes(await findReadyRoots(components.prisma, keyId))
    if (all.length === 0) throw new NotFoundError('this key has no tagged root')
    return all
  }
  if (new Set(roots).size !== roots.length) throw new BadRequestError('roots must be distinct')
  const found = new Map(
    (await findReadyRoots(components.prisma, keyId, roots)).map((r) => [r.root, r]),
  )
  return roots.map((root) => {
    const row = found.get(root)
    if (!row) throw new NotFoundError(`root ${root.slice(0, 100)} is not tagged under this key`)
    return row
  })
}

function checkCompat(challenge: Uint8Array): number {
  try {
    return parseCompatChallenge(challenge).c
  } catch (error) {
    if (error instanceof ProofFormatError) throw new BadRequestError(`malformed: ${error.message}`)
    throw error
  }
}

// Reads the common fields, checks they are for this key, and (bjo) claims the sentinel so that a
// replayed j is refused even across restarts and concurrent requests.
async function checkPnpf(
  components: ProveComponents,
  key: { id: string; protocol: string },
  loaded: readonly LoadedRoot[],
  challenge: Uint8Array,
): Promise<number> {
  let summary
  try {
    summary = challengeSummary(challenge)
  } catch (error) {
    if (error instanceof ProofFormatError) throw new BadRequestError(`malformed: ${error.message}`)
    throw error
  }
  if (summary.protocol !== key.protocol)
    throw new BadRequestError('challenge is for another protocol')
  if (Buffer.from(summary.keyId).toString('utf8') !== key.id)
    throw new BadRequestError('challenge is for another key')
  if (summary.protocol === 'bjo') {
    const { root, j } = bjoChallengeIndex(challenge)
    const row = loaded.find((r) => Buffer.from(CID.parse(r.root).bytes).equals(root))
    if (!row) throw new BadRequestError('challenge names a root not in the request')
    if (!(await claimSentinel(components.prisma, row.id, j)))
      throw new AppError('CONFLICT', { details: `sentinel ${j} of this root was already answered` })
  }
  return summary.c
}

/** Turns one stored batch (starting at index `first`) into a reader of its tags. */
type TagDecoder = (frame: Uint8Array, first: number) => (index: number) => Uint8Array

function tagDecoder(compat: boolean, proverSetup: Uint8Array, root: LoadedRoot): TagDecoder {
  if (compat)
    return (frame, first) => (index) =>
      frame.slice((index - first) * COMPAT_TAG_BYTES, (index - first + 1) * COMPAT_TAG_BYTES)
  const setup = asFrame('proverSetup', proverSetup)
  const descriptor = asFrame('rootDescriptor', root.descriptor!)
  return (frame) => {
    const source = tagSource(setup, descriptor, [frame])
    return (index) => source.tag(index) as Uint8Array
  }
}

// Loads the batch holding a tag on first use and keeps it for the rest of the request.
function storedTags(prisma: PrismaClient, tagId: string, decode: TagDecoder): TagSource {
  const batches: { first: number; count: number; read(index: number): Uint8Array }[] = []
  return {
    async tag(index) {
      const known = batches.find((b) => index >= b.first && index < b.first + b.count)
      if (known) return known.read(index)
      const batch = await findBatch(prisma, tagId, index)
      if (!batch || index >= Number(batch.first) + batch.count)
        throw new RangeError(`no tag for chunk ${index}`)
      const first = Number(batch.first)
      const read = decode(batch.frame, first)
      batches.push({ first, count: batch.count, read })
      return read(index)
    },
  }
}
