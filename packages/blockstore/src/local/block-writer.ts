import { join } from 'node:path'
import type { AbortOptions, Block, WriteResult } from '../blockstore.js'
import { blockKey } from '../dag.js'
import { isIdentity } from '../verify.js'
import type { FileStore } from './file-store.js'

/** File writes in flight at once: enough to overlap hashing with fsync, few enough to bound memory. */
const WRITE_CONCURRENCY = 8

/** fsyncs in flight at commit (they mostly wait on the disk, in libuv's thread pool). */
const COMMIT_SYNC_CONCURRENCY = 16

/** Runs async tasks with at most `limit` in flight; the first failure is rethrown. */
class TaskPool {
  readonly #limit: number
  readonly #running = new Set<Promise<void>>()
  #failure: { error: unknown } | undefined

  constructor(limit: number) {
    this.#limit = limit
  }

  /** Waits for a free slot, then starts `task` (without waiting for it). */
  async run(task: () => Promise<void>): Promise<void> {
    while (this.#running.size >= this.#limit) await Promise.race(this.#running)
    this.#throwIfFailed()
    const promise: Promise<void> = task()
      .catch((error: unknown) => {
        this.#failure ??= { error }
      })
      .finally(() => this.#running.delete(promise))
    this.#running.add(promise)
  }

  /** Waits for every task; rethrows the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.#running)
    this.#throwIfFailed()
  }

  /** Waits for every task, ignoring failures (cleanup paths). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#running)
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure.error
  }
}

/**
 * Runs the step that makes blocks visible (the renames). The local backend passes its GC lock
 * here, so only that short step, not a whole upload, holds a GC off.
 */
export type Visibility = <T>(task: () => Promise<T>) => Promise<T>

/** How blocks become visible: all at the end, or each as soon as it is durable. */
export type WriteMode = 'all-or-nothing' | 'stream'

/**
 * Writes already-verified blocks into the file store.
 *
 * `all-or-nothing` stages every block as a file in a private folder under `tmp/`, and only once the
 * source is exhausted fsyncs them all and renames them into place: an error, an abort or a crash before that
 * leaves nothing visible (a crash during the renames leaves some whole, valid, unpinned blocks,
 * which GC removes). `stream` makes each block visible as soon as it is durable.
 * Either way the folder entries are fsynced before this resolves.
 */
export async function writeBlocks(
  store: FileStore,
  blocks: AsyncIterable<Block>,
  mode: WriteMode,
  options: AbortOptions & { visibility?: Visibility } = {},
): Promise<WriteResult> {
  const visibly = options.visibility ?? ((task) => task())
  const pool = new TaskPool(WRITE_CONCURRENCY)
  const stagingDir = mode === 'all-or-nothing' ? await store.stagingDir() : undefined
  const staged = new Map<string, string>()
  const touchedDirs: string[] = []
  const seen = new Set<string>()
  let count = 0
  let bytes = 0
  try {
    for await (const block of blocks) {
      options.signal?.throwIfAborted()
      const id = blockKey(block.cid)
      if (seen.has(id)) continue
      seen.add(id)
      count += 1
      bytes += block.bytes.length
      if (isIdentity(block.cid)) continue
      const key = store.key(block.cid)
      if (staged.has(key)) continue
      const path = stagingDir === undefined ? store.tempPath('.data') : join(stagingDir, key)
      staged.set(key, path)
      await pool.run(async () => {
        if (stagingDir !== undefined) {
          // Staged files are invisible; their fsync waits for the commit, where the kernel can
          // flush them together instead of one journal commit per block.
          await store.write(path, block.bytes)
          return
        }
        await store.write(path, block.bytes, { durable: true })
        touchedDirs.push(await visibly(() => store.install(path, key)))
      })
    }
    await pool.drain()
    if (stagingDir !== undefined) {
      options.signal?.throwIfAborted()
      const syncs = new TaskPool(COMMIT_SYNC_CONCURRENCY)
      for (const path of staged.values()) await syncs.run(() => store.syncFile(path))
      await syncs.drain()
      await visibly(async () => {
        for (const [key, path] of staged) touchedDirs.push(await store.install(path, key))
      })
    }
    return { blocks: count, bytes }
  } catch (error) {
    await pool.settle()
    // Stream mode: blocks already renamed stay (they are valid); only unfinished temp files go.
    if (stagingDir === undefined) for (const path of staged.values()) await store.discard(path)
    throw error
  } finally {
    if (stagingDir !== undefined) await store.discard(stagingDir)
    await store.syncDirs(touchedDirs)
  }
}
