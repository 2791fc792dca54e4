/**
 * Tagged roots in Postgres: one `prover_tags` row per (key, root) with its status, progress,
 * descriptor, manifest and bjo state, and its tags in `prover_tag_batches` rows that the prover
 * loads one at a time.
 */
import { type Prisma, type DbClient, type Tx } from '@pinion/db'

const statusColumns = {
  id: true,
  keyId: true,
  root: true,
  status: true,
  progress: true,
  blocksDone: true,
  blocksTotal: true,
  chunkCount: true,
  descriptor: true,
  error: true,
} as const

/** A tag row's status, as `GET /tag` reports it. */
export type TagStatusRow = Prisma.ProverTagGetPayload<{ select: typeof statusColumns }>

/**
 * Starts (or restarts) tagging `root` under `keyId`: the row goes back to `tagging` with no result,
 * and its old batches are removed.
 */
export async function resetTagJob(tx: Tx, keyId: string, root: string): Promise<TagStatusRow> {
  const row = await tx.proverTag.upsert({
    where: { keyId_root: { keyId, root } },
    create: { keyId, root },
    update: {
      status: 'tagging',
      progress: 0,
      blocksDone: 0,
      blocksTotal: null,
      blockIds: [],
      descriptor: null,
      chunkCount: null,
      manifest: null,
      sidecar: null,
      usedSentinels: [],
      error: null,
    },
    select: statusColumns,
  })
  await tx.proverTagBatch.deleteMany({ where: { tagId: row.id } })
  return row
}

/** The tag row of (key, root), or null. */
export async function findTag(db: DbClient, keyId: string, root: string) {
  return db.proverTag.findUnique({ where: { keyId_root: { keyId, root } }, select: statusColumns })
}

/** The `block_ids` of a tagged root. */
export async function findBlockIds(db: DbClient, tagId: string): Promise<string[]> {
  const row = await db.proverTag.findUnique({ where: { id: tagId }, select: { blockIds: true } })
  return (row?.blockIds ?? []) as string[]
}

/** Ids of rows still `tagging` (to resume after a restart). */
export async function pendingTagJobs(db: DbClient): Promise<{ id: string }[]> {
  return db.proverTag.findMany({ where: { status: 'tagging' }, select: { id: true } })
}

/** A tag job's input: its root and key. */
export async function findTagJob(db: DbClient, tagId: string) {
  return db.proverTag.findUnique({
    where: { id: tagId },
    select: { id: true, keyId: true, root: true, status: true },
  })
}

/** Records how far a tag job got. */
export async function updateTagProgress(
  db: DbClient,
  tagId: string,
  progress: { blocksDone: number; blocksTotal?: number; fraction: number },
): Promise<void> {
  await db.proverTag.updateMany({
    where: { id: tagId, status: 'tagging' },
    data: {
      blocksDone: progress.blocksDone,
      progress: progress.fraction,
      ...(progress.blocksTotal !== undefined ? { blocksTotal: progress.blocksTotal } : {}),
    },
  })
}

/** A finished tagging (server- or client-side). */
export interface TagResult {
  readonly descriptor: Uint8Array | null
  readonly chunkCount: number
  readonly manifest: Uint8Array
  readonly blockIds: readonly string[]
  readonly sidecar: Uint8Array | null
  readonly batches: readonly { first: number; count: number; frame: Uint8Array }[]
}

/** Stores a result and marks the row `ready`, replacing any earlier batches. */
export async function saveTagResult(tx: Tx, tagId: string, result: TagResult): Promise<void> {
  await tx.proverTagBatch.deleteMany({ where: { tagId } })
  await tx.proverTagBatch.createMany({
    data: result.batches.map((b) => ({
      tagId,
      first: BigInt(b.first),
      count: b.count,
      frame: new Uint8Array(b.frame),
    })),
  })
  await tx.proverTag.update({
    where: { id: tagId },
    data: {
      status: 'ready',
      progress: 1,
      blocksDone: result.blockIds.length,
      blocksTotal: result.blockIds.length,
      blockIds: [...result.blockIds],
      descriptor: result.descriptor === null ? null : new Uint8Array(result.descriptor),
      chunkCount: BigInt(result.chunkCount),
      manifest: new Uint8Array(result.manifest),
      sidecar: result.sidecar === null ? null : new Uint8Array(result.sidecar),
      usedSentinels: [],
      error: null,
    },
  })
}

/** Marks a job failed with a message safe to show its owner. */
export async function markTagFailed(db: DbClient, tagId: string, error: string): Promise<void> {
  await db.proverTag.updateMany({
    where: { id: tagId, status: 'tagging' },
    data: { status: 'failed', error },
  })
}

/** Deletes the tags of (key, root); false when there were none. */
export async function deleteTag(db: DbClient, keyId: string, root: string): Promise<boolean> {
  const { count } = await db.proverTag.deleteMany({ where: { keyId, root } })
  return count > 0
}

/** What the prover reads of a ready root: descriptor, manifest, sidecar, counts (no tags yet). */
export async function findReadyRoots(db: DbClient, keyId: string, roots?: readonly string[]) {
  return db.proverTag.findMany({
    where: { keyId, status: 'ready', ...(roots ? { root: { in: [...roots] } } : {}) },
    select: {
      id: true,
      root: true,
      descriptor: true,
      chunkCount: true,
      manifest: true,
      sidecar: true,
      blockIds: true,
    },
  })
}

/** The stored batch holding tag `index` of a root, or null. */
export async function findBatch(db: DbClient, tagId: string, index: number) {
  return db.proverTagBatch.findFirst({
    where: { tagId, first: { lte: BigInt(index) } },
    orderBy: { first: 'desc' },
    select: { first: true, count: true, frame: true },
  })
}

/**
 * Records that bjo sentinel `j` of a root is answered, atomically: false when it already was
 * (a replayed challenge), so two concurrent requests for one j cannot both succeed.
 */
export async function claimSentinel(db: DbClient, tagId: string, j: number): Promise<boolean> {
  const updated = await db.$executeRaw`
    UPDATE prover_tags SET used_sentinels = array_append(used_sentinels, ${j}::int)
    WHERE id = ${tagId}::uuid AND NOT (${j}::int = ANY(used_sentinels))`
  return updated === 1
}
