import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createWriteStream } from 'node:fs'
import type { HealthCheck } from '@pinion/service-kit'
import { create, type KuboRPCClient } from 'kubo-rpc-client'
import type { CID } from 'multiformats/cid'
import { BaseBlockstore, type BaseInit, type WriteOptions } from '../base-blockstore.js'
import type {
  AbortOptions,
  Block,
  BlockStat,
  DagSize,
  GcOptions,
  GcResult,
  PinOptions,
  PinResult,
  WriteResult,
} from '../blockstore.js'
import { encodeCar } from '../car-writer.js'
import { blockKey } from '../dag.js'
import { BlockNotFoundError, ContentUnavailableError } from '../errors.js'
import { parseOrigins } from '../origins.js'
import { isIdentity } from '../verify.js'
import {
  detectFlavour,
  isNotPinned,
  LocalReads,
  rpcFailure,
  type KuboFlavour,
} from './kubo-reads.js'
import { pinAddWithProgress } from './pin-add.js'

/** Settings of the kubo backend. */
export interface KuboBlockstoreInit extends BaseInit {
  /** Base URL of Kubo's RPC API, e.g. `http://127.0.0.1:5001`. */
  url: string
  /** Folder for verified CARs waiting to be sent to Kubo (see importCar). */
  spoolPath: string
  /** js-ipfs only: see LocalReadsInit.probeMs. Default 300. */
  probeMs?: number
}

async function* withoutIdentity(
  blocks: AsyncIterable<Block>,
  counter: { blocks: number; bytes: number },
): AsyncGenerator<Block> {
  const seen = new Set<string>()
  for await (const block of blocks) {
    const id = blockKey(block.cid)
    if (seen.has(id)) continue
    seen.add(id)
    counter.blocks += 1
    counter.bytes += block.bytes.length
    // Kubo derives identity blocks from their CID; sending them would only cost a write.
    if (!isIdentity(block.cid)) yield block
  }
}

/** The first item of an iterator, and an iterable of all its items (that one included). */
async function peek<T>(source: AsyncIterable<T>): Promise<{ first?: T; all: AsyncIterable<T> }> {
  const iterator = source[Symbol.asyncIterator]()
  const head = await iterator.next()
  if (head.done === true) return { all: source }
  return {
    first: head.value,
    all: (async function* () {
      yield head.value
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
        yield next.value
      }
    })(),
  }
}

/**
 * The production backend: a Kubo node (or cluster entry point) through `kubo-rpc-client`. Blocks
 * are written with `dag/import` of a CAR built here from locally verified blocks (exact CIDs on
 * Kubo and on js-ipfs, which ignores `cid-codec` on `block/put`); reads pass `offline` so they
 * never wait on the network; pins are Kubo's recursive pins.
 */
export class KuboBlockstore extends BaseBlockstore {
  readonly backend = 'kubo' as const
  readonly name = 'blockstore-kubo'
  readonly healthCheck: HealthCheck
  protected readonly atomicPutMany = false
  readonly #client: KuboRPCClient
  readonly #url: string
  readonly #spoolPath: string
  readonly #reads: LocalReads
  #flavour: Promise<KuboFlavour> | undefined

  constructor(init: KuboBlockstoreInit) {
    super(init)
    this.#url = init.url.replace(/\/+$/, '')
    this.#spoolPath = init.spoolPath
    this.#client = create({ url: `${this.#url}/api/v0` })
    this.#reads = new LocalReads({
      client: this.#client,
      flavour: () => this.#getFlavour(),
      probeMs: init.probeMs ?? 300,
    })
    this.healthCheck = {
      name: 'kubo',
      check: async (signal) => {
        await this.#client.version({ signal })
      },
    }
  }

  /** Does not wait for Kubo: readiness reports it, and the first call that needs it retries. */
  async start(): Promise<void> {
    this.#getFlavour().catch((error: unknown) => {
      this.logger.warn({ err: error, url: this.#url }, 'kubo not reachable yet')
    })
  }

  async stop(): Promise<void> {}

  #getFlavour(): Promise<KuboFlavour> {
    if (this.#flavour === undefined) {
      const detecting = detectFlavour(this.#client).catch((error: unknown) => {
        // Forget the failure so that the next call tries again once Kubo is up.
        this.#flavour = undefined
        throw rpcFailure(error, 'version')
      })
      this.#flavour = detecting
    }
    return this.#flavour
  }

  async get(cid: CID, options: AbortOptions = {}): Promise<Uint8Array> {
    if (isIdentity(cid)) return cid.multihash.digest
    return this.#reads.get(cid, options)
  }

  async has(cid: CID, options: AbortOptions = {}): Promise<boolean> {
    if (isIdentity(cid)) return true
    try {
      await this.#reads.size(cid, options)
      return true
    } catch (error) {
      if (error instanceof BlockNotFoundError) return false
      throw error
    }
  }

  async stat(cid: CID, options: AbortOptions = {}): Promise<BlockStat> {
    if (isIdentity(cid)) return { cid, size: cid.multihash.size }
    return { cid, size: await this.#reads.size(cid, options) }
  }

  /**
   * Atomic writes (importCar, put) first spool the verified CAR to a file and send it only when
   * the whole source verified: Kubo's `dag/import` stores blocks as they arrive, so streaming
   * straight into it could leave part of a bad CAR behind. Non-atomic writes (putMany, fetches)
   * stream, keeping memory and disk use flat.
   */
  protected async writeBlocks(
    blocks: AsyncIterable<Block>,
    options: WriteOptions,
  ): Promise<WriteResult> {
    const counter = { blocks: 0, bytes: 0 }
    const source = { failure: undefined as { error: unknown } | undefined }
    async function* remembered(): AsyncGenerator<Block> {
      try {
        yield* withoutIdentity(blocks, counter)
      } catch (error) {
        // The RPC client reports a failing request body as its own abort; keep the real cause.
        source.failure = { error }
        throw error
      }
    }
    const { first, all } = await peek(remembered())
    if (first === undefined) return counter
    // A CARv1 header needs a root (go-car rejects an empty list); with pin-roots off any will do.
    const car = encodeCar([first.cid], all, options)
    if (!options.atomic) {
      try {
        await this.#dagImport(car, options)
      } catch (error) {
        throw source.failure === undefined ? error : source.failure.error
      }
      return counter
    }
    const dir = await mkdtemp(join(this.#spoolPath, 'pinion-car-'))
    try {
      const file = join(dir, 'verified.car')
      await pipeline(Readable.from(car), createWriteStream(file), { signal: options.signal })
      await this.#dagImport(createReadStream(file), options)
      return counter
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  async #dagImport(car: AsyncIterable<Uint8Array>, options: AbortOptions): Promise<void> {
    try {
      // Drain the response: Kubo reports per-root results, none with pin-roots off.
      // One file whose content is the CAR stream (a bare stream of chunks reads as many files).
      for await (const _ of this.#client.dag.import([car], {
        pinRoots: false,
        signal: options.signal,
      })) {
        void _
      }
    } catch (error) {
      options.signal?.throwIfAborted()
      throw rpcFailure(error, 'dag/import')
    }
  }

  async pin(root: CID, options: PinOptions = {}): Promise<PinResult> {
    const origins = parseOrigins(options.origins ?? [])
    const gateways = [...origins.http, ...this.gateways]
    return this.withDeadline(root, options, async (signal) => {
      // Dialling origins helps bitswap find the content; an unreachable one is not an error.
      await Promise.allSettled(
        origins.p2p.map((address) =>
          this.#client.swarm.connect(
            address as unknown as Parameters<KuboRPCClient['swarm']['connect']>[0],
            {
              signal,
            },
          ),
        ),
      )
      let size: DagSize | undefined
      if (gateways.length > 0) {
        try {
          size = await this.fetchMissing(root, gateways, { ...options, signal })
        } catch (error) {
          // Kubo's own network may still have what the gateways lack.
          if (!(error instanceof ContentUnavailableError)) throw error
          this.logger.debug({ cid: root.toString(), err: error }, 'gateways lacked content')
        }
      }
      try {
        await pinAddWithProgress(this.#url, root, { signal, onProgress: options.onProgress })
      } catch (error) {
        signal.throwIfAborted()
        throw rpcFailure(error, 'pin/add')
      }
      size ??= await this.dagSize(root, { signal })
      return { cid: root, size }
    })
  }

  async unpin(root: CID, options: AbortOptions = {}): Promise<void> {
    try {
      await this.#client.pin.rm(root, { signal: options.signal })
    } catch (error) {
      if (isNotPinned(error)) return
      throw rpcFailure(error, 'pin/rm')
    }
  }

  async isPinned(root: CID, options: AbortOptions = {}): Promise<boolean> {
    try {
      // `offline`: resolving the path must not wait on the network for a block we lack.
      const query = { paths: [root], type: 'recursive' as const, offline: true }
      for await (const pin of this.#client.pin.ls({ ...query, signal: options.signal })) {
        if (pin.cid.multihash.bytes.length > 0) return true
      }
      return false
    } catch (error) {
      if (isNotPinned(error)) return false
      throw rpcFailure(error, 'pin/ls')
    }
  }

  /** Kubo's `repo/gc`: removes every unpinned block now (`minAgeMs` does not apply). */
  async gc(options: GcOptions = {}): Promise<GcResult> {
    let removedBlocks = 0
    try {
      for await (const result of this.#client.repo.gc({ signal: options.signal })) {
        if (result.err === undefined || result.err === null) removedBlocks += 1
      }
    } catch (error) {
      throw rpcFailure(error, 'repo/gc')
    }
    return { removedBlocks, removedBytes: 0 }
  }
}
