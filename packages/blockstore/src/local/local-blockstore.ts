import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import type { HealthCheck } from '@pinion/service-kit'
import type { CID } from 'multiformats/cid'
import { BaseBlockstore, type BaseInit, type WriteOptions } from '../base-blockstore.js'
import type {
  AbortOptions,
  Block,
  BlockStat,
  GcOptions,
  GcResult,
  PinOptions,
  PinResult,
  WriteResult,
} from '../blockstore.js'
import { blockKey, decodeLinks } from '../dag.js'
import { BlockNotFoundError } from '../errors.js'
import { parseOrigins } from '../origins.js'
import { isIdentity } from '../verify.js'
import { writeBlocks } from './block-writer.js'
import { FileStore } from './file-store.js'
import { PinStore } from './pin-store.js'
import { RwLock } from './rw-lock.js'

/** Settings of the local backend. */
export interface LocalBlockstoreInit extends BaseInit {
  /** Folder holding `blocks/`, `pins/` and `tmp/`. Created if missing. */
  path: string
}

const DEFAULT_GC_MIN_AGE_MS = 60 * 60 * 1000

/**
 * The embedded on-disk backend: one file per block (see FileStore), one file per pin, fetches of
 * missing blocks from trustless gateways, and a mark-and-sweep GC. One process should own a
 * folder's GC; reads and writes from several processes are safe (every write is a rename).
 */
export class LocalBlockstore extends BaseBlockstore {
  readonly backend = 'local' as const
  readonly name = 'blockstore-local'
  readonly healthCheck: HealthCheck
  protected readonly atomicPutMany = true
  readonly #files: FileStore
  readonly #pins: PinStore
  readonly #lock = new RwLock()
  /** Roots whose pin is walking or fetching right now, with how many calls pin each. */
  readonly #pinning = new Map<string, { root: CID; holders: number }>()

  constructor(init: LocalBlockstoreInit) {
    super(init)
    this.#files = new FileStore(init.path)
    this.#pins = new PinStore(this.#files)
    this.healthCheck = {
      name: 'blockstore',
      check: () => access(init.path, constants.R_OK | constants.W_OK),
    }
  }

  async start(): Promise<void> {
    await this.#files.open()
    await this.#pins.open()
  }

  async stop(): Promise<void> {
    // Let a running GC or write finish its folder work before the process goes.
    await this.#lock.exclusive(async () => undefined)
  }

  async get(cid: CID, options: AbortOptions = {}): Promise<Uint8Array> {
    options.signal?.throwIfAborted()
    if (isIdentity(cid)) return cid.multihash.digest
    const bytes = await this.#files.read(cid)
    if (bytes === undefined) throw new BlockNotFoundError(cid.toString())
    return bytes
  }

  async readInto(
    cid: CID,
    target: Uint8Array,
    options: AbortOptions = {},
  ): Promise<number | undefined> {
    options.signal?.throwIfAborted()
    if (isIdentity(cid)) {
      const digest = cid.multihash.digest
      if (digest.length > target.length) return undefined
      target.set(digest)
      return digest.length
    }
    const length = await this.#files.readInto(cid, target)
    if (length === undefined) throw new BlockNotFoundError(cid.toString())
    return length === 'larger' ? undefined : length
  }

  async has(cid: CID, options: AbortOptions = {}): Promise<boolean> {
    options.signal?.throwIfAborted()
    return isIdentity(cid) || (await this.#files.size(cid)) !== undefined
  }

  async stat(cid: CID, options: AbortOptions = {}): Promise<BlockStat> {
    options.signal?.throwIfAborted()
    const size = isIdentity(cid) ? cid.multihash.size : await this.#files.size(cid)
    if (size === undefined) throw new BlockNotFoundError(cid.toString())
    return { cid, size }
  }

  protected writeBlocks(blocks: AsyncIterable<Block>, options: WriteOptions): Promise<WriteResult> {
    // Renames run under the shared lock: a GC (exclusive) never sees half a commit, and a slow
    // upload only holds GC off while its staged blocks are renamed into place.
    return writeBlocks(this.#files, blocks, options.atomic ? 'all-or-nothing' : 'stream', {
      signal: options.signal,
      visibility: (task) => this.#lock.shared(task),
    })
  }

  /**
   * The walk and fetches run without the lock (a long fetch must not hold GC, nor imports queued
   * behind GC); the root is registered as in progress so that a GC meanwhile keeps every block the
   * walk may already have passed. Recording the pin takes the lock.
   */
  async pin(root: CID, options: PinOptions = {}): Promise<PinResult> {
    const gateways = [...parseOrigins(options.origins ?? []).http, ...this.gateways]
    const key = root.toString()
    this.#pinning.set(key, { root, holders: (this.#pinning.get(key)?.holders ?? 0) + 1 })
    try {
      return await this.withDeadline(root, options, async (signal) => {
        const size = await this.fetchMissing(root, gateways, { ...options, signal })
        await this.#lock.shared(() => this.#pins.add(root, size))
        return { cid: root, size }
      })
    } finally {
      const entry = this.#pinning.get(key)
      if (entry !== undefined && entry.holders > 1) entry.holders -= 1
      else this.#pinning.delete(key)
    }
  }

  async unpin(root: CID, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await this.#pins.remove(root)
  }

  async isPinned(root: CID, options: AbortOptions = {}): Promise<boolean> {
    options.signal?.throwIfAborted()
    return this.#pins.has(root)
  }

  /**
   * Mark every block reachable from a pinned root or a pin in progress, then sweep the unmarked
   * files older than `minAgeMs`. Holds the lock alone, so no write lands between mark and sweep.
   * A missing block inside a pinned DAG cannot be followed: it is logged, and what lies below it
   * is not kept by that pin.
   */
  async gc(options: GcOptions = {}): Promise<GcResult> {
    const minAgeMs = options.minAgeMs ?? DEFAULT_GC_MIN_AGE_MS
    return this.#lock.exclusive(async () => {
      const cutoff = Date.now() - minAgeMs
      const marked = new Set<string>()
      for (const root of await this.#pins.list()) {
        const missing = await this.#mark(root, marked, options)
        if (missing > 0) {
          this.logger.warn({ cid: root.toString(), missing }, 'pinned DAG has missing blocks')
        }
      }
      for (const { root } of this.#pinning.values()) await this.#mark(root, marked, options)
      let removedBlocks = 0
      let removedBytes = 0
      for await (const entry of this.#files.entries()) {
        options.signal?.throwIfAborted()
        if (marked.has(entry.key) || entry.mtimeMs > cutoff) continue
        await this.#files.remove(entry.file)
        removedBlocks += 1
        removedBytes += entry.size
      }
      this.logger.info({ removedBlocks, removedBytes }, 'blockstore gc done')
      return { removedBlocks, removedBytes }
    })
  }

  /** Adds the keys of the blocks reachable from `root` to `marked`; returns how many were missing. */
  async #mark(root: CID, marked: Set<string>, options: AbortOptions): Promise<number> {
    let missing = 0
    const stack = [root]
    const visited = new Set<string>()
    for (let cid = stack.pop(); cid !== undefined; cid = stack.pop()) {
      options.signal?.throwIfAborted()
      const id = blockKey(cid)
      if (visited.has(id)) continue
      visited.add(id)
      const bytes = isIdentity(cid) ? cid.multihash.digest : await this.#files.read(cid)
      if (bytes === undefined) {
        missing += 1
        continue
      }
      if (!isIdentity(cid)) marked.add(this.#files.key(cid))
      stack.push(...decodeLinks(cid, bytes))
    }
    return missing
  }
}
