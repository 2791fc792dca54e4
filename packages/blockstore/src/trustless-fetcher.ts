import type { CID } from 'multiformats/cid'
import type { Logger } from 'pino'
import type { AbortOptions, Block, WriteResult } from './blockstore.js'
import { readCar } from './car-reader.js'
import { blockKey, decodeLinks } from './dag.js'
import { ContentUnavailableError, InvalidCarError } from './errors.js'
import { verifyBlock } from './verify.js'

/** Where fetched blocks go: the backend's own streaming write (each block visible as it verifies). */
export type StreamingWrite = (
  blocks: AsyncIterable<Block>,
  options: AbortOptions,
) => Promise<WriteResult>

/** Configuration of a {@link TrustlessFetcher}. */
export interface TrustlessFetcherInit {
  logger: Logger
  maxBlockSize: number
  /** Injected for tests of transport failures; defaults to the global `fetch`. */
  fetch?: typeof fetch
}

const CAR_ACCEPT = 'application/vnd.ipld.car; version=1; order=dfs; dups=n'
const RAW_ACCEPT = 'application/vnd.ipld.raw'

/**
 * Only blocks of the DAG under `root` may pass, in an order where each block was linked from one
 * already seen (the root first). Stops a gateway from filling the store with unrelated blocks.
 */
async function* onlyDagOf(root: CID, blocks: AsyncIterable<Block>): AsyncGenerator<Block> {
  const expected = new Set([blockKey(root)])
  for await (const block of blocks) {
    if (!expected.has(blockKey(block.cid))) {
      throw new InvalidCarError('UNEXPECTED_BLOCK', 'block is not linked from the requested DAG', {
        cid: block.cid.toString(),
      })
    }
    for (const link of decodeLinks(block.cid, block.bytes)) expected.add(blockKey(link))
    yield block
  }
}

function describe(error: unknown): string {
  if (error instanceof InvalidCarError) return `sent invalid data (${error.code})`
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
    return `${error.message}${cause}`
  }
  return String(error)
}

/**
 * Fetches blocks from trustless HTTP gateways (IPFS Trustless Gateway spec): first the whole
 * sub-DAG as a CAR (`dag-scope=all`), else the single block as `application/vnd.ipld.raw`. Every
 * block is verified against its CID (and, in a CAR, must belong to the DAG asked for) before it is
 * written; verified blocks stay even if the stream later fails, because they are correct content
 * of the DAG being pinned and save a re-fetch.
 */
export class TrustlessFetcher {
  readonly #logger: Logger
  readonly #maxBlockSize: number
  readonly #fetch: typeof fetch

  constructor(init: TrustlessFetcherInit) {
    this.#logger = init.logger
    this.#maxBlockSize = init.maxBlockSize
    this.#fetch = init.fetch ?? fetch
  }

  /**
   * Gets `cid` (and, when a gateway serves it as a CAR, the DAG under it) into the store through
   * `write`, trying `gateways` in order.
   *
   * @returns the number of blocks written.
   * @throws ContentUnavailableError when no gateway provided a verified copy of `cid`; the
   *   signal's reason when aborted.
   */
  async fetch(
    cid: CID,
    gateways: readonly string[],
    write: StreamingWrite,
    options: AbortOptions = {},
  ): Promise<number> {
    if (gateways.length === 0) {
      throw new ContentUnavailableError(
        cid.toString(),
        'it is not stored here and no trustless gateway or HTTP origin is configured',
      )
    }
    const failures: string[] = []
    for (const gateway of gateways) {
      for (const attempt of [this.#fetchCar, this.#fetchRaw]) {
        try {
          const written = await attempt.call(this, gateway, cid, write, options)
          if (written > 0) return written
          failures.push(`${gateway}: no blocks`)
        } catch (error) {
          options.signal?.throwIfAborted()
          failures.push(`${gateway}: ${describe(error)}`)
          this.#logger.debug({ cid: cid.toString(), gateway, err: error }, 'gateway fetch failed')
        }
      }
    }
    throw new ContentUnavailableError(cid.toString(), failures.join('; '))
  }

  async #get(gateway: string, cid: CID, accept: string, query: string, options: AbortOptions) {
    const url = `${gateway}/ipfs/${cid.toString()}${query}`
    const response = await this.#fetch(url, {
      headers: { accept },
      signal: options.signal,
      redirect: 'follow',
    })
    if (!response.ok || response.body === null) {
      await response.body?.cancel()
      throw new Error(`HTTP ${response.status}`)
    }
    return response
  }

  async #fetchCar(
    gateway: string,
    cid: CID,
    write: StreamingWrite,
    options: AbortOptions,
  ): Promise<number> {
    const response = await this.#get(gateway, cid, CAR_ACCEPT, '?dag-scope=all', options)
    const body = response.body as unknown as AsyncIterable<Uint8Array>
    if (!(response.headers.get('content-type') ?? '').includes('application/vnd.ipld.car')) {
      await response.body?.cancel()
      throw new Error(`not a CAR (${response.headers.get('content-type') ?? 'no content-type'})`)
    }
    const car = await readCar(body, { maxBlockSize: this.#maxBlockSize, signal: options.signal })
    let passed = 0
    async function* counted(blocks: AsyncIterable<Block>): AsyncGenerator<Block> {
      for await (const block of blocks) {
        yield block
        passed += 1
      }
    }
    try {
      return (await write(counted(onlyDagOf(cid, car.blocks)), options)).blocks
    } catch (error) {
      // The root and some of the DAG arrived verified before the stream broke: keep that progress
      // and let the walk fetch what is still missing, block by block.
      if (passed === 0 || options.signal?.aborted === true) throw error
      this.#logger.debug({ cid: cid.toString(), gateway, err: error }, 'partial CAR kept')
      return passed
    }
  }

  async #fetchRaw(
    gateway: string,
    cid: CID,
    write: StreamingWrite,
    options: AbortOptions,
  ): Promise<number> {
    const response = await this.#get(gateway, cid, RAW_ACCEPT, '', options)
    const chunks: Uint8Array[] = []
    let size = 0
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length
      if (size > this.#maxBlockSize) {
        await response.body?.cancel()
        throw new InvalidCarError('BLOCK_TOO_LARGE', `block exceeds ${this.#maxBlockSize} bytes`)
      }
      chunks.push(chunk)
    }
    const bytes = Buffer.concat(chunks)
    verifyBlock(cid, bytes, this.#maxBlockSize)
    const result = await write(
      (async function* () {
        yield { cid, bytes }
      })(),
      options,
    )
    return result.blocks
  }
}
