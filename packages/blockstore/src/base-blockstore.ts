import type { HealthCheck } from '@pinion/service-kit'
import type { CID } from 'multiformats/cid'
import type { Logger } from 'pino'
import type {
  AbortOptions,
  AwaitIterable,
  Block,
  BlockStat,
  Blockstore,
  BlockstoreBackend,
  DagNode,
  DagSize,
  GcOptions,
  GcResult,
  ImportCarResult,
  PinOptions,
  PinResult,
  WriteResult,
} from './blockstore.js'
import { readCar } from './car-reader.js'
import { dagSizeOf, walkDag } from './dag.js'
import { BlockNotFoundError, ContentUnavailableError, FetchTimeoutError } from './errors.js'
import { exportCarFrom } from './export-car.js'
import { TrustlessFetcher } from './trustless-fetcher.js'
import { verifyBlock } from './verify.js'

/** Settings every backend shares. */
export interface BaseInit {
  logger: Logger
  /** Largest block accepted on write, in bytes. */
  maxBlockSize: number
  /** Default pin deadline in milliseconds. */
  pinTimeoutMs: number
  /** Trustless gateways (base URLs) to fetch missing blocks from, besides a pin's HTTP origins. */
  gateways: readonly string[]
}

/** How a backend's writes become visible; see `writeBlocks` in each backend. */
export interface WriteOptions extends AbortOptions {
  /** true: all or nothing (imports); false: each block as soon as it is stored (fetches). */
  atomic: boolean
}

async function* verifyEach(
  blocks: AwaitIterable<Block>,
  maxBlockSize: number,
): AsyncGenerator<Block> {
  for await (const block of blocks) {
    verifyBlock(block.cid, block.bytes, maxBlockSize)
    yield block
  }
}

/**
 * What both backends share: verification on every write path, CAR import/export, DAG walks, and
 * the deadline-bounded "walk and fetch what is missing from trustless gateways" step of a pin.
 * Backends supply storage (`get`/`has`/`stat`/`writeBlocks`), pins and GC.
 */
export abstract class BaseBlockstore implements Blockstore {
  abstract readonly backend: BlockstoreBackend
  abstract readonly name: string
  abstract readonly healthCheck: HealthCheck
  protected readonly logger: Logger
  protected readonly maxBlockSize: number
  protected readonly pinTimeoutMs: number
  protected readonly gateways: readonly string[]
  protected readonly fetcher: TrustlessFetcher
  /** Whether `putMany` is all-or-nothing on this backend. */
  protected abstract readonly atomicPutMany: boolean

  constructor(init: BaseInit) {
    this.logger = init.logger
    this.maxBlockSize = init.maxBlockSize
    this.pinTimeoutMs = init.pinTimeoutMs
    this.gateways = init.gateways
    this.fetcher = new TrustlessFetcher({ logger: init.logger, maxBlockSize: init.maxBlockSize })
  }

  abstract start(): Promise<void>
  abstract stop(): Promise<void>
  abstract get(cid: CID, options?: AbortOptions): Promise<Uint8Array>
  abstract has(cid: CID, options?: AbortOptions): Promise<boolean>
  abstract stat(cid: CID, options?: AbortOptions): Promise<BlockStat>
  abstract pin(root: CID, options?: PinOptions): Promise<PinResult>
  abstract unpin(root: CID, options?: AbortOptions): Promise<void>
  abstract isPinned(root: CID, options?: AbortOptions): Promise<boolean>
  abstract gc(options?: GcOptions): Promise<GcResult>

  /** Stores blocks that were already verified. */
  protected abstract writeBlocks(
    blocks: AsyncIterable<Block>,
    options: WriteOptions,
  ): Promise<WriteResult>

  async put(cid: CID, bytes: Uint8Array, options: AbortOptions = {}): Promise<void> {
    verifyBlock(cid, bytes, this.maxBlockSize)
    await this.writeBlocks(
      (async function* () {
        yield { cid, bytes }
      })(),
      { signal: options.signal, atomic: true },
    )
  }

  putMany(blocks: AwaitIterable<Block>, options: AbortOptions = {}): Promise<WriteResult> {
    return this.writeBlocks(verifyEach(blocks, this.maxBlockSize), {
      signal: options.signal,
      atomic: this.atomicPutMany,
    })
  }

  async importCar(
    source: AwaitIterable<Uint8Array>,
    options: AbortOptions = {},
  ): Promise<ImportCarResult> {
    try {
      const car = await readCar(source, { maxBlockSize: this.maxBlockSize, signal: options.signal })
      const written = await this.writeBlocks(car.blocks, { signal: options.signal, atomic: true })
      return { roots: car.roots, ...written }
    } catch (error) {
      // Streams and the RPC client report an abort in their own words; give the caller's reason.
      options.signal?.throwIfAborted()
      throw error
    }
  }

  exportCar(root: CID, options: AbortOptions = {}): AsyncIterable<Uint8Array> {
    return exportCarFrom(this, root, options)
  }

  async *walkDag(root: CID, options: AbortOptions = {}): AsyncIterable<DagNode> {
    for await (const { cid, size, links } of walkDag(this, root, options)) {
      yield { cid, size, links }
    }
  }

  dagSize(root: CID, options: AbortOptions = {}): Promise<DagSize> {
    return dagSizeOf(this, root, options)
  }

  /**
   * Runs `task` with a signal that aborts at the pin's deadline (or with the caller's signal), and
   * turns the deadline's abort into a FetchTimeoutError.
   */
  protected async withDeadline<T>(
    root: CID,
    options: PinOptions,
    task: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const deadlineMs = options.deadlineMs ?? this.pinTimeoutMs
    const deadline = AbortSignal.timeout(deadlineMs)
    const signal =
      options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline])
    try {
      return await task(signal)
    } catch (error) {
      if (deadline.aborted && options.signal?.aborted !== true) {
        throw new FetchTimeoutError(root.toString(), deadlineMs)
      }
      throw error
    }
  }

  /**
   * Walks the DAG under `root`, fetching every missing block from `gateways` (trustless, verified)
   * into this store as it goes. Resolves with the DAG's size once every block is present.
   *
   * @throws ContentUnavailableError when a block is missing and no gateway provides it.
   */
  protected async fetchMissing(
    root: CID,
    gateways: readonly string[],
    options: PinOptions & { signal: AbortSignal },
  ): Promise<DagSize> {
    let fetchedBlocks = 0
    const write = (blocks: AsyncIterable<Block>, writeOptions: AbortOptions) =>
      this.writeBlocks(blocks, { signal: writeOptions.signal, atomic: false })
    const reader = {
      get: async (cid: CID, readOptions: AbortOptions = {}): Promise<Uint8Array> => {
        try {
          return await this.get(cid, readOptions)
        } catch (error) {
          if (!(error instanceof BlockNotFoundError)) throw error
        }
        fetchedBlocks += await this.fetcher.fetch(cid, gateways, write, readOptions)
        try {
          return await this.get(cid, readOptions)
        } catch (error) {
          if (!(error instanceof BlockNotFoundError)) throw error
          throw new ContentUnavailableError(cid.toString(), 'a gateway answered without it')
        }
      },
    }
    let blocks = 0
    let bytes = 0
    for await (const node of walkDag(reader, root, { signal: options.signal })) {
      blocks += 1
      bytes += node.size
      options.onProgress?.({ blocks, fetchedBlocks })
    }
    return { blocks, bytes }
  }
}
