/**
 * Background tagging: one job per `prover_tags` row in state `tagging`. A job walks the DAG from
 * the blockstore (I/O, on the event loop), builds the root's manifest, hands the CPU work to a
 * tagging thread that reads blocks back through the pool, reports progress into the row, and stores
 * the result. Rows still `tagging` when the service starts are resumed from the beginning.
 */
import type { Blockstore } from '@pinion/blockstore'
import type { PrismaClient } from '@pinion/db'
import { createManifest, type Manifest } from '@pinion/proofs'
import type { Logger, Startable } from '@pinion/service-kit'
import { CID } from 'multiformats/cid'
import { findKeyForTagging } from '../store/keys.js'
import {
  findTagJob,
  markTagFailed,
  pendingTagJobs,
  saveTagResult,
  updateTagProgress,
} from '../store/tags.js'
import { keyChunkSize, type TaggedFrames } from '../threads/tasks.js'
import type { ThreadPool } from '../threads/thread-pool.js'
import { encodeManifest } from './manifest-codec.js'
import { COMPAT_SUITE } from './suites.js'

/** What tagging jobs use. */
export interface TagJobComponents {
  readonly prisma: PrismaClient
  readonly blockstore: Blockstore
  /** The tagging threads. */
  readonly tagging: ThreadPool
  readonly logger: Logger
}

/** Limits of tagging jobs. */
export interface TagJobInit {
  /** Largest DAG tagged, in bytes. */
  readonly maxBytes: number
  /** Least time between two progress writes, in ms. */
  readonly progressIntervalMs?: number
}

/** The background job runner. */
export interface TagJobs extends Startable {
  /** Starts the job of a `tagging` row (a no-op if it already runs). */
  enqueue(tagId: string): void
  /** Resolves when the row's job ends, or after `ms`, whichever comes first. */
  settle(tagId: string, ms: number): Promise<void>
}

/** A failure whose message is safe and useful to show the key's owner. */
class TagJobError extends Error {}

/** Creates the runner. */
export function createTagJobs(components: TagJobComponents, init: TagJobInit): TagJobs {
  const logger = components.logger.child({ component: 'tag-jobs' })
  const running = new Map<string, Promise<void>>()
  let stopped = true

  const run = async (tagId: string) => {
    const job = await findTagJob(components.prisma, tagId)
    if (!job || job.status !== 'tagging') return
    const key = await findKeyForTagging(components.prisma, job.keyId)
    if (!key?.encryptedSecret || !key.clientSetup) throw new TagJobError('key has no TA secret')
    const compat = key.suite === COMPAT_SUITE
    const root = CID.parse(job.root)
    const manifest = await walk(components, tagId, root, keyChunkSize(compat, key.clientSetup))
    if (manifest.totalBytes > init.maxBytes)
      throw new TagJobError(
        `DAG of ${manifest.totalBytes} bytes exceeds the ${init.maxBytes}-byte limit`,
      )
    let last = 0
    const tagged = await components.tagging.run<TaggedFrames>(
      {
        kind: 'tag',
        keyId: key.id,
        compat,
        sealedSecret: key.encryptedSecret,
        clientSetup: key.clientSetup,
        manifest,
      },
      {
        blocks: { get: (cid) => components.blockstore.get(CID.decode(cid)) },
        onProgress: (p) => {
          if (Date.now() - last < (init.progressIntervalMs ?? 500)) return
          last = Date.now()
          const fraction = manifest.totalBytes === 0 ? 1 : p.bytes / manifest.totalBytes
          void updateTagProgress(components.prisma, tagId, {
            blocksDone: p.blocks,
            fraction: Math.min(0.99, fraction),
          }).catch((err: unknown) => logger.warn({ err, tagId }, 'progress not recorded'))
        },
      },
    )
    await components.prisma.$transaction(async (tx) => {
      await saveTagResult(tx, tagId, {
        descriptor: tagged.descriptor ?? null,
        chunkCount: tagged.chunkCount,
        manifest: encodeManifest(manifest),
        blockIds: manifest.entries.map((e) => e.id),
        sidecar: tagged.sidecar ?? null,
        batches: tagged.batches,
      })
    })
    logger.info({ tagId, root: job.root, chunks: tagged.chunkCount }, 'root tagged')
  }

  const enqueue = (tagId: string) => {
    if (stopped || running.has(tagId)) return
    const promise = run(tagId)
      .catch(async (error: unknown) => {
        if (stopped) return
        const message =
          error instanceof TagJobError || error instanceof Error ? error.message : 'tagging failed'
        logger.warn({ err: error, tagId }, 'tagging failed')
        await markTagFailed(components.prisma, tagId, message.slice(0, 500)).catch((err: unknown) =>
          logger.error({ err, tagId }, 'tag failure not recorded'),
        )
      })
      .finally(() => running.delete(tagId))
    running.set(tagId, promise)
  }

  return {
    name: 'tag-jobs',
    async start() {
      stopped = false
      const pending = await pendingTagJobs(components.prisma).catch((err: unknown) => {
        logger.warn({ err }, 'could not list unfinished tagging jobs')
        return []
      })
      for (const { id } of pending) enqueue(id)
      if (pending.length) logger.info({ jobs: pending.length }, 'resumed tagging jobs')
    },
    async stop() {
      stopped = true
      // Tagging a large DAG takes hours: don't wait for it. The tagging threads stop right after
      // this runner, and rows left `tagging` resume at the next start.
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.allSettled([...running.values()]),
        new Promise<void>((r) => (timer = setTimeout(r, 2000))),
      ])
      clearTimeout(timer)
    },
    enqueue,
    async settle(tagId, ms) {
      const job = running.get(tagId)
      if (!job) return
      let timer: NodeJS.Timeout | undefined
      await Promise.race([job, new Promise<void>((r) => (timer = setTimeout(r, ms)))])
      clearTimeout(timer)
    },
  }
}

// Walks the DAG (I/O only) and builds its manifest, recording the block count as it goes.
async function walk(
  components: TagJobComponents,
  tagId: string,
  root: CID,
  chunkSize: number,
): Promise<Manifest> {
  const blocks: { cid: CID; size: number }[] = []
  try {
    for await (const node of components.blockstore.walkDag(root)) blocks.push(node)
  } catch (error) {
    throw new TagJobError(
      `the DAG cannot be read: ${error instanceof Error ? error.message : 'unknown error'}`,
      { cause: error },
    )
  }
  await updateTagProgress(components.prisma, tagId, {
    blocksDone: 0,
    blocksTotal: blocks.length,
    fraction: 0,
  })
  return createManifest(root.bytes, blocks, chunkSize)
}
