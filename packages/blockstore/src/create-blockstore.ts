import { resolve } from 'node:path'
import type { Logger } from 'pino'
import type { Blockstore } from './blockstore.js'
import type { BlockstoreConfig } from './config.js'
import { KuboBlockstore } from './kubo/kubo-blockstore.js'
import { LocalBlockstore } from './local/local-blockstore.js'
import { parseOrigins } from './origins.js'

/** What a blockstore needs besides its config. */
export interface BlockstoreComponents {
  logger: Logger
}

/**
 * Builds the configured backend. Nothing is opened until `start()` (a Startable: list it in the
 * service's deps); `start()` of the kubo backend does not wait for Kubo to answer.
 */
export function createBlockstore(
  config: BlockstoreConfig,
  components: BlockstoreComponents,
): Blockstore {
  const logger = components.logger.child({ component: 'blockstore' })
  const base = {
    logger,
    maxBlockSize: config.BLOCKSTORE_MAX_BLOCK_SIZE,
    pinTimeoutMs: config.PIN_FETCH_TIMEOUT_MS,
    gateways: parseOrigins(config.TRUSTLESS_GATEWAYS).http,
  }
  if (config.BLOCKSTORE === 'kubo') {
    return new KuboBlockstore({
      ...base,
      url: config.KUBO_RPC_URL,
      spoolPath: resolve(config.KUBO_IMPORT_SPOOL_PATH),
    })
  }
  return new LocalBlockstore({ ...base, path: resolve(config.BLOCKSTORE_PATH) })
}
