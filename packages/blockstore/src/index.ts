/**
 * `@pinion/blockstore`: the one blockstore interface every Pinion service uses, with two backends:
 * `kubo` (a Kubo node through its RPC API; production) and `local` (embedded, on disk; the
 * zero-setup default). Every write verifies block hashes; CAR imports are all-or-nothing; reads
 * never touch the network; pins fetch what is missing (Kubo's network, or trustless gateways)
 * within a deadline.
 *
 * @example
 * ```ts
 * import { blockstoreSchema, createBlockstore } from '@pinion/blockstore'
 * const config = blockstoreSchema.parse(process.env) // in config.ts, via the service's schema
 * const blockstore = createBlockstore(config, { logger })
 * await blockstore.start()
 * const { roots } = await blockstore.importCar(request) // any AsyncIterable<Uint8Array>
 * await blockstore.pin(roots[0], { deadlineMs: 60_000 })
 * for await (const chunk of blockstore.exportCar(roots[0])) response.write(chunk)
 * ```
 */
export type {
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
  PinProgress,
  PinResult,
  WriteResult,
} from './blockstore.js'
export { blockstoreSchema, type BlockstoreConfig } from './config.js'
export { createBlockstore, type BlockstoreComponents } from './create-blockstore.js'
export {
  BlockDecodeError,
  BlockNotFoundError,
  BlockstoreUnavailableError,
  ContentUnavailableError,
  FetchTimeoutError,
  InvalidCarError,
  type InvalidCarCode,
} from './errors.js'
export { readCar, type CarStream, type ReadCarOptions } from './car-reader.js'
export { encodeCar, encodeCarHeader, encodeCarSection } from './car-writer.js'
export { decodeLinks, walkDag, type BlockReader, type WalkOptions } from './dag.js'
export { parseOrigins, httpUrlFromMultiaddr, type ParsedOrigins } from './origins.js'
export { verifyBlock, supportedCodecs, DEFAULT_MAX_BLOCK_SIZE } from './verify.js'
