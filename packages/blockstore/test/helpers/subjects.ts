import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { blockstoreSchema, createBlockstore, type Blockstore } from '../../src/index.js'

export const silentLogger = pino({ level: 'silent' })

/** A started blockstore from config values, and how to dispose of it. */
export async function startBlockstore(
  env: Record<string, string>,
): Promise<{ blockstore: Blockstore; cleanup: () => Promise<void> }> {
  const blockstore = createBlockstore(blockstoreSchema.parse(env), { logger: silentLogger })
  await blockstore.start()
  return { blockstore, cleanup: () => blockstore.stop() }
}

/** A local blockstore in a fresh temporary folder, removed on cleanup. */
export async function startLocal(env: Record<string, string> = {}) {
  const path = await mkdtemp(join(tmpdir(), 'pinion-blockstore-'))
  const started = await startBlockstore({ BLOCKSTORE: 'local', BLOCKSTORE_PATH: path, ...env })
  return {
    path,
    blockstore: started.blockstore,
    cleanup: async () => {
      await started.cleanup()
      await rm(path, { recursive: true, force: true })
    },
  }
}
