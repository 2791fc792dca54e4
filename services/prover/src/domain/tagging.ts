/**
 * `POST /tag` and `GET /tag`: start tagging a pinned root under a server-tagged key, and report the
 * job's progress or result. Small DAGs finish within the request's wait; large ones answer 202 and
 * are followed with `GET /tag`.
 */
import type { PrismaClient } from '@pinion/db'
import { decodeDescriptor, frameProtocol } from '@pinion/proofs'
import { BadRequestError, NotFoundError } from '@pinion/service-kit'
import { isPinnedBy } from '../store/pins.js'
import { findBlockIds, findTag, resetTagJob, type TagStatusRow } from '../store/tags.js'
import { b64 } from './base64.js'
import { requireOwnedKey } from './keys.js'
import { parseRoot } from './roots.js'
import type { Signer } from './signer.js'
import type { TagJobs } from './tag-jobs.js'

/** What tagging requests use. */
export interface TaggingComponents {
  readonly prisma: PrismaClient
  readonly jobs: TagJobs
  readonly signer: Signer
}

/** Which root of which key. */
export interface TagTarget {
  readonly userId: string
  readonly keyId: string
  readonly root: string
}

/** The state of a tagged root as the API reports it. */
export type TagState = Record<string, unknown> & { status: 'tagging' | 'ready' | 'failed' }

/**
 * Starts tagging `root` (again, if it was tagged before) and waits up to `waitMs` for the result.
 *
 * @throws NotFoundError for a key that is not the user's; BadRequestError for a client-tagged key
 *   or a root the user has not pinned.
 */
export async function startTagging(
  components: TaggingComponents,
  init: { waitMs: number },
  target: TagTarget,
): Promise<TagState> {
  const key = await requireOwnedKey(components, target.userId, target.keyId)
  if (key.tagging !== 'server')
    throw new BadRequestError('this key is tagged client-side: use POST /register')
  const cid = parseRoot(target.root)
  if (!(await isPinnedBy(components.prisma, target.userId, cid)))
    throw new BadRequestError('only content you have pinned (status "pinned") can be tagged')
  // A job already under way is joined, not restarted (its row would lose its progress).
  const current = await findTag(components.prisma, key.id, target.root)
  const row =
    current?.status === 'tagging'
      ? current
      : await components.prisma.$transaction((tx) => resetTagJob(tx, key.id, target.root))
  components.jobs.enqueue(row.id)
  await components.jobs.settle(row.id, init.waitMs)
  return tagStatus(components, target)
}

/**
 * The tagging state of a root: progress while `tagging`; `block_ids`, counts and the signed
 * descriptor once `ready`; the reason when `failed`.
 *
 * @throws NotFoundError when the key is not the user's or the root was never tagged under it.
 */
export async function tagStatus(
  components: Pick<TaggingComponents, 'prisma' | 'signer'>,
  target: TagTarget,
): Promise<TagState> {
  const key = await requireOwnedKey(components, target.userId, target.keyId)
  const row = await findTag(components.prisma, key.id, target.root)
  if (!row) throw new NotFoundError('this root is not tagged under this key')
  return describe(components, row)
}

async function describe(
  components: Pick<TaggingComponents, 'prisma' | 'signer'>,
  row: TagStatusRow,
): Promise<TagState> {
  const common = { key_id: row.keyId, root: row.root, status: row.status }
  if (row.status === 'failed') return { ...common, error: row.error ?? 'tagging failed' }
  if (row.status === 'tagging')
    return {
      ...common,
      progress: row.progress,
      blocks_done: row.blocksDone,
      blocks_total: row.blocksTotal,
    }
  return {
    ...common,
    progress: 1,
    block_ids: await findBlockIds(components.prisma, row.id),
    chunk_count: Number(row.chunkCount),
    ...(row.descriptor
      ? {
          ...sizes(row.descriptor),
          root_descriptor: b64(row.descriptor),
          root_descriptor_signed: b64(components.signer.sign('root', row.descriptor)),
        }
      : {}),
  }
}

// `Z` and `T` as the descriptor states them (storage-proofs.md §2.7's tag response).
function sizes(descriptor: Uint8Array): { chunk_size: number; total_bytes: number } {
  const d = decodeDescriptor(descriptor, frameProtocol(descriptor))
  return { chunk_size: d.chunkSize, total_bytes: d.totalBytes }
}
