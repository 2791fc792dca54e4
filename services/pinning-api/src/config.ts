import { authSchema, refineAuthConfig } from '@pinion/auth'
import { blockstoreSchema } from '@pinion/blockstore'
import { databaseSchema } from '@pinion/db'
import { natsSchema } from '@pinion/messaging'
import { pinsSchema } from '@pinion/pins'
import { httpSchema, loadConfigOrExit, logSchema } from '@pinion/service-kit'
import { z } from 'zod'

/** pinning-api's own limits. */
export const pinningSchema = z.object({
  /** Largest request body (a Pin), in bytes (413 beyond). Default 1 MiB: 1000 meta keys fit. */
  PINNING_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
})

/** Every variable pinning-api reads; `.env.example` documents each one. */
export const ConfigSchema = z
  .object({
    ...httpSchema.shape,
    ...logSchema.shape,
    ...databaseSchema.shape,
    ...natsSchema.shape,
    ...authSchema.shape,
    ...pinsSchema.shape,
    // Only to find the delegates: whose IPFS node holds the pins (resolveDelegates).
    ...blockstoreSchema.pick({ BLOCKSTORE: true, BLOCKSTORE_PATH: true, KUBO_RPC_URL: true }).shape,
    ...pinningSchema.shape,
  })
  .superRefine(refineAuthConfig)

export type Config = z.infer<typeof ConfigSchema>

/** Parses the environment, or prints every problem (names, never values) and exits 1. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfigOrExit(ConfigSchema, env, 'pinning-api')
}
