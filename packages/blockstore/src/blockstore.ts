import type { HealthCheck, Startable } from '@pinion/service-kit'
import type { CID } from 'multiformats/cid'

/**
 * The one blockstore interface every Pinion service uses (upload writes, gateway and prover read,
 * worker pins, github-bot writes). Two backends implement it: `kubo` (a Kubo node through its RPC
 * API) and `local` (an embedded on-disk store). Semantics are the same on both; the contract test
 * suite runs against each.
 *
 * Every method that can wait takes an `AbortSignal`; an aborted call rejects with the signal's
 * reason and leaves nothing half-visible.
 */
export interface Blockstore extends Startable {
  /** Which backend this is. */
  readonly backend: BlockstoreBackend
  /** Readiness probe for `/readyz`: resolves when the backend answers. */
  readonly healthCheck: HealthCheck

  /**
   * Stores one block after checking that `bytes` hash to `cid`. Identity CIDs store nothing.
   *
   * @throws InvalidCarError (`HASH_MISMATCH`, `UNSUPPORTED_HASH`, `UNSUPPORTED_CODEC`,
   *   `BLOCK_TOO_LARGE`) when the block is refused; nothing is stored then.
   */
  put(cid: CID, bytes: Uint8Array, options?: AbortOptions): Promise<void>

  /**
   * Stores blocks computed by the caller (e.g. a UnixFS importer), verifying each one.
   *
   * `local`: all-or-nothing, like `importCar`. `kubo`: blocks stream into Kubo as they come, so a
   * failure or abort part-way may leave the earlier (valid, unpinned) blocks behind for GC.
   *
   * @returns the number of blocks and bytes accepted.
   * @throws InvalidCarError as for `put`.
   */
  putMany(blocks: AwaitIterable<Block>, options?: AbortOptions): Promise<WriteResult>

  /**
   * Reads a block. Never fetches from the network.
   *
   * @throws BlockNotFoundError when the block is not stored here.
   */
  get(cid: CID, options?: AbortOptions): Promise<Uint8Array>

  /**
   * Reads a block into `target` when it fits there, for a caller that reuses its buffers (the
   * gateway streaming a large file): a fresh buffer per block is what makes a fast stream spend
   * its time in garbage collection. Never fetches from the network. Optional: a backend without it
   * is read with {@link Blockstore.get}.
   *
   * @returns the block's length, or undefined when it is larger than `target` (nothing useful was
   *   written to `target`: read it with `get`).
   * @throws BlockNotFoundError when the block is not stored here.
   */
  readInto?(cid: CID, target: Uint8Array, options?: AbortOptions): Promise<number | undefined>

  /** Whether the block is stored here (identity CIDs always are). Never fetches. */
  has(cid: CID, options?: AbortOptions): Promise<boolean>

  /**
   * The block's size in bytes.
   *
   * @throws BlockNotFoundError when the block is not stored here.
   */
  stat(cid: CID, options?: AbortOptions): Promise<BlockStat>

  /**
   * Imports a CAR (v1 or v2) stream. Streams with constant memory and backpressure, verifies every
   * block's hash against its CID, and makes the blocks visible only once the whole CAR verified.
   * The CAR need not hold a complete DAG. Nothing is pinned.
   *
   * @throws InvalidCarError (`BAD_HEADER`, `TRUNCATED`, `BAD_BLOCK`, `HASH_MISMATCH`,
   *   `UNSUPPORTED_HASH`, `UNSUPPORTED_CODEC`, `BLOCK_TOO_LARGE`); nothing is stored then.
   */
  importCar(source: AwaitIterable<Uint8Array>, options?: AbortOptions): Promise<ImportCarResult>

  /**
   * Exports the DAG under `root` as a CARv1 stream: depth-first, links in order, each block once,
   * identity blocks omitted (their bytes are in the CID). Reads locally only.
   *
   * @throws BlockNotFoundError (while iterating) when a block of the DAG is missing.
   */
  exportCar(root: CID, options?: AbortOptions): AsyncIterable<Uint8Array>

  /**
   * Walks the DAG under `root` depth-first, each block once, reading locally only. Decodes dag-pb,
   * raw, dag-cbor, dag-json, json and cbor, including identity-hashed blocks.
   *
   * @throws BlockNotFoundError when a block is missing; BlockDecodeError when one cannot be decoded.
   */
  walkDag(root: CID, options?: AbortOptions): AsyncIterable<DagNode>

  /**
   * Total size of the DAG under `root`: every distinct block once. Throws as `walkDag`.
   */
  dagSize(root: CID, options?: AbortOptions): Promise<DagSize>

  /**
   * Makes the blockstore keep the whole DAG under `root`, fetching what is missing, then records
   * the pin. Content already present pins at once. Idempotent.
   *
   * `kubo`: Kubo's `pin/add` (bitswap, after dialling `/p2p/` origins), plus HTTP origins and
   * configured trustless gateways first when there are any. `local`: trustless gateways (the
   * configured ones and HTTP(S) origins), every block verified.
   *
   * @throws FetchTimeoutError when `deadline` passes first; ContentUnavailableError when no source
   *   has a missing block or every source sent bad bytes. No pin is recorded then.
   */
  pin(root: CID, options?: PinOptions): Promise<PinResult>

  /** Removes the pin on `root` (a no-op when it is not pinned). Blocks go at the next GC. */
  unpin(root: CID, options?: AbortOptions): Promise<void>

  /** Whether `root` is pinned (recursively). */
  isPinned(root: CID, options?: AbortOptions): Promise<boolean>

  /**
   * Removes blocks that no pinned DAG references. `local`: mark and sweep, sparing blocks younger
   * than `minAgeMs` (uploads the worker has not pinned yet). `kubo`: Kubo's `repo/gc`.
   */
  gc(options?: GcOptions): Promise<GcResult>
}

/** `local` (embedded, on disk) or `kubo` (a Kubo node through its RPC API). */
export type BlockstoreBackend = 'local' | 'kubo'

/** Sync or async iterable, as the UnixFS importer and HTTP bodies produce. */
export type AwaitIterable<T> = Iterable<T> | AsyncIterable<T>

/** Options of every call that can wait. */
export interface AbortOptions {
  signal?: AbortSignal
}

/** A block: its CID and its bytes. */
export interface Block {
  cid: CID
  bytes: Uint8Array
}

/** Size of one stored block. */
export interface BlockStat {
  cid: CID
  /** Bytes. */
  size: number
}

/** Blocks and bytes written by `putMany`. */
export interface WriteResult {
  /** Distinct blocks accepted (identity blocks included, though they take no space). */
  blocks: number
  /** Sum of their sizes in bytes. */
  bytes: number
}

/** What `importCar` read and stored. */
export interface ImportCarResult extends WriteResult {
  /** The roots named in the CAR header (they may be absent from the CAR itself). */
  roots: CID[]
}

/** One block met while walking a DAG. */
export interface DagNode {
  cid: CID
  /** Block size in bytes. */
  size: number
  /** The CIDs this block links to, in order. */
  links: CID[]
}

/** Distinct blocks and total bytes of a DAG. */
export interface DagSize {
  blocks: number
  /** Bytes, each distinct block counted once. */
  bytes: number
}

/** Options of `pin`. */
export interface PinOptions extends AbortOptions {
  /**
   * Milliseconds from the call to give up fetching missing blocks. Default from config
   * (`PIN_FETCH_TIMEOUT_MS`).
   */
  deadlineMs?: number
  /**
   * Where the content may be: multiaddrs (`/ip4/…/tcp/…/http`, `/dns4/…/tcp/443/https`,
   * `/ip4/…/tcp/4001/p2p/Qm…`) or `http(s)://` URLs of trustless gateways. Unusable ones are
   * ignored.
   */
  origins?: readonly string[]
  /** Called as blocks are found present or fetched. */
  onProgress?: (progress: PinProgress) => void
}

/** Progress of a pin. Counts only grow. */
export interface PinProgress {
  /** Blocks of the DAG known present so far. */
  blocks: number
  /** Blocks that had to be fetched so far; undefined when the backend cannot tell (kubo). */
  fetchedBlocks: number | undefined
}

/** What a pin found. */
export interface PinResult {
  cid: CID
  /** Distinct blocks and bytes of the pinned DAG. */
  size: DagSize
}

/** Options of `gc`. */
export interface GcOptions extends AbortOptions {
  /**
   * `local` only: unpinned blocks written less than this many milliseconds ago are kept, so a CAR
   * uploaded just before a GC survives until the worker pins it. Default one hour.
   */
  minAgeMs?: number
}

/** What a GC removed. */
export interface GcResult {
  removedBlocks: number
  /** Bytes freed; `kubo` does not report them (0). */
  removedBytes: number
}
