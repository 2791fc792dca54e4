import type { PinsConfig } from './config.js'
import { resolveDelegates } from './delegates.js'
import { createPins, type Pins, type PinsComponents } from './pins.js'

/** What {@link createConfiguredPins} reads: the pins fragment and where the blockstore's node is. */
export interface ConfiguredPinsSettings extends PinsConfig {
  readonly BLOCKSTORE: 'local' | 'kubo'
  readonly KUBO_RPC_URL: string
  readonly BLOCKSTORE_PATH: string
}

/**
 * {@link createPins} as every service that answers PinStatus objects builds it: the delegates
 * from PIN_DELEGATES, else from the blockstore's node (resolveDelegates), and the deadline from
 * PIN_DEADLINE_MS.
 */
export async function createConfiguredPins(
  components: Omit<PinsComponents, 'delegates' | 'deadlineMs'>,
  config: ConfiguredPinsSettings,
): Promise<Pins> {
  const delegates = await resolveDelegates({
    configured: config.PIN_DELEGATES,
    blockstore: config.BLOCKSTORE,
    kuboRpcUrl: config.KUBO_RPC_URL,
    localPath: config.BLOCKSTORE_PATH,
  })
  return createPins({ ...components, delegates, deadlineMs: config.PIN_DEADLINE_MS })
}
