import { createBlockstore, type BlockstoreConfig } from '@pinion/blockstore'
import type { Logger } from '@pinion/service-kit'
import { create } from 'kubo-rpc-client'
import type { MirrorNode } from './kubo-mirror.js'

/**
 * A {@link MirrorNode} over the Kubo RPC API at `url`: our kubo blockstore for content (the rest
 * of `config`, e.g. the import spool folder, applies as in the services) plus the two RPC calls the
 * blockstore interface does not offer, `id` and `pin/ls`.
 */
export function createKuboMirrorNode(
  url: string,
  config: BlockstoreConfig,
  logger: Logger,
): MirrorNode {
  const base = url.replace(/\/+$/, '')
  const client = create({ url: `${base}/api/v0` })
  const blockstore = createBlockstore(
    { ...config, BLOCKSTORE: 'kubo', KUBO_RPC_URL: base },
    { logger },
  )
  return {
    url: base,
    blockstore,
    peerId: async (signal) => (await client.id({ signal })).id.toString(),
    async *pins(signal) {
      for await (const pin of client.pin.ls({ type: 'recursive', signal })) yield pin.cid
    },
  }
}
