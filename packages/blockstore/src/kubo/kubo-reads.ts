import type { KuboRPCClient } from 'kubo-rpc-client'
import { CID } from 'multiformats/cid'
import type { AbortOptions } from '../blockstore.js'
import { BlockNotFoundError, BlockstoreUnavailableError } from '../errors.js'

/** What answers Kubo's RPC API: Kubo itself, or the js-ipfs stand-in used in tests. */
export type KuboFlavour = 'kubo' | 'js-ipfs'

/** Detects the flavour from `version`: js-ipfs reports an `ipfs-core` field. */
export async function detectFlavour(
  client: KuboRPCClient,
  options: AbortOptions = {},
): Promise<KuboFlavour> {
  const version = await client.version({ signal: options.signal })
  return version['ipfs-core'] === undefined ? 'kubo' : 'js-ipfs'
}

/** Kubo's words for "no such block here" (offline reads, pin lookups). */
function isNotFoundMessage(error: unknown): boolean {
  const message = error instanceof Error ? error.message : ''
  return /not found|could not find|no such block|is not pinned/i.test(message)
}

/** Whether an RPC failure means Kubo is unreachable, as opposed to a refusal. */
export function isTransportError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (error.name === 'HTTPError') return false
  return /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENOTFOUND|fetch failed|socket hang up/i.test(
    `${error.message} ${error.cause instanceof Error ? error.cause.message : ''}`,
  )
}

function isConnectionReset(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined
  return (cause as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET'
}

/** Wraps an RPC failure: unreachable → BlockstoreUnavailableError, otherwise unchanged. */
export function rpcFailure(error: unknown, what: string): unknown {
  if (isTransportError(error)) {
    return new BlockstoreUnavailableError(`Kubo RPC unreachable (${what})`, { cause: error })
  }
  return error
}

/** Settings of {@link LocalReads}. */
export interface LocalReadsInit {
  client: KuboRPCClient
  flavour: () => Promise<KuboFlavour>
  /**
   * js-ipfs only: how long a read may wait before we check whether the block is local at all.
   * js-ipfs ignores `offline` and waits on bitswap for a missing block; the check (`refs/local`)
   * is exact, so this only trades latency on misses against needless checks on slow hits.
   */
  probeMs: number
}

/**
 * Block reads that never leave the node. Kubo honours the global `offline` flag and answers "not
 * found locally" at once. js-ipfs ignores it, so a read that has not answered within `probeMs` is
 * settled by listing the node's local blocks.
 */
export class LocalReads {
  readonly #client: KuboRPCClient
  readonly #flavour: () => Promise<KuboFlavour>
  readonly #probeMs: number

  constructor(init: LocalReadsInit) {
    this.#client = init.client
    this.#flavour = init.flavour
    this.#probeMs = init.probeMs
  }

  /** The block's bytes. @throws BlockNotFoundError, BlockstoreUnavailableError. */
  get(cid: CID, options: AbortOptions = {}): Promise<Uint8Array> {
    return this.#read(cid, options, (readOptions) => this.#client.block.get(cid, readOptions))
  }

  /** The block's size. @throws BlockNotFoundError, BlockstoreUnavailableError. */
  async size(cid: CID, options: AbortOptions = {}): Promise<number> {
    const stat = await this.#read(cid, options, (readOptions) =>
      this.#client.block.stat(cid, readOptions),
    )
    return stat.size
  }

  async #read<T>(
    cid: CID,
    options: AbortOptions,
    call: (readOptions: Record<string, unknown>) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.#readOnce(cid, options, call)
    } catch (error) {
      // A keep-alive socket the server closed as we reused it: reads are idempotent, retry once.
      if (!(error instanceof BlockstoreUnavailableError) || !isConnectionReset(error.cause)) {
        throw error
      }
      return this.#readOnce(cid, options, call)
    }
  }

  async #readOnce<T>(
    cid: CID,
    options: AbortOptions,
    call: (readOptions: Record<string, unknown>) => Promise<T>,
  ): Promise<T> {
    const flavour = await this.#flavour()
    const probe = flavour === 'js-ipfs' ? AbortSignal.timeout(this.#probeMs) : undefined
    const signals = [options.signal, probe].filter((s): s is AbortSignal => s !== undefined)
    try {
      return await call({ offline: true, signal: AbortSignal.any(signals) })
    } catch (error) {
      options.signal?.throwIfAborted()
      if (probe?.aborted === true) {
        if (!(await this.#isLocal(cid, options))) throw new BlockNotFoundError(cid.toString())
        return call({ signal: options.signal })
      }
      if (isNotFoundMessage(error)) throw new BlockNotFoundError(cid.toString(), { cause: error })
      throw rpcFailure(error, 'block read')
    }
  }

  async #isLocal(cid: CID, options: AbortOptions): Promise<boolean> {
    const wanted = cid.multihash.bytes
    for await (const entry of this.#client.refs.local({ signal: options.signal })) {
      if (entry.err !== undefined && entry.err !== null) continue
      const local = CID.parse(entry.ref).multihash.bytes
      if (Buffer.compare(local, wanted) === 0) return true
    }
    return false
  }
}

/** Whether a failed pin lookup or removal just means "not pinned". */
export function isNotPinned(error: unknown): boolean {
  return error instanceof Error && /not pinned/i.test(error.message)
}
