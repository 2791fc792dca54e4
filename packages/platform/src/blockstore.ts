import { createBlockstore, type Blockstore, type BlockstoreConfig } from '@pinion/blockstore'
import type { ServiceDeps } from '@pinion/service-kit'

/** Opens the configured blockstore (local or Kubo) and registers its start, stop and readiness check. */
export function attachBlockstore(deps: ServiceDeps, config: BlockstoreConfig): Blockstore {
  const blockstore = createBlockstore(config, { logger: deps.logger })
  deps.startables.push(blockstore)
  deps.readinessChecks.push(blockstore.healthCheck)
  return blockstore
}
