import { tmpdir } from 'node:os'
import { envList } from '@pinion/service-kit'
import { z } from 'zod'

/**
 * The blockstore's config fragment. A service spreads `blockstoreSchema.shape` into its own
 * schema, so these variables have one name and one coercion everywhere.
 */
export const blockstoreSchema = z.object({
  /** `local` (embedded, on disk; the zero-setup default) or `kubo` (a Kubo node, production). */
  BLOCKSTORE: z.enum(['local', 'kubo']).default('local'),
  /** Folder of the local backend (blocks, pins, staging). */
  BLOCKSTORE_PATH: z.string().min(1).default('./.pinion/blocks'),
  /** Kubo's RPC API base URL (kubo backend). */
  KUBO_RPC_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:5001'),
  /**
   * Folder where the kubo backend keeps a verified CAR until it is sent to Kubo (importCar);
   * needs room for the largest CAR upload. Default: the OS temporary folder.
   */
  KUBO_IMPORT_SPOOL_PATH: z.string().min(1).default(tmpdir()),
  /** Trustless gateways to fetch missing blocks from when pinning, comma separated URLs. */
  TRUSTLESS_GATEWAYS: envList(z.url({ protocol: /^https?$/ })).default([]),
  /** Default deadline of a pin (fetching what is missing), in milliseconds. */
  PIN_FETCH_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(10 * 60 * 1000),
  /** Largest block accepted on write (CAR uploads, fetches), in bytes. Default 4 MiB. */
  BLOCKSTORE_MAX_BLOCK_SIZE: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(4 * 1024 * 1024),
})

/** Parsed blockstore settings. */
export type BlockstoreConfig = z.infer<typeof blockstoreSchema>
