import { authSchema, refineAuthConfig } from '@pinion/auth'
import { blockstoreSchema } from '@pinion/blockstore'
import { databaseSchema } from '@pinion/db'
import { natsSchema } from '@pinion/messaging'
import { pinsSchema } from '@pinion/pins'
import { httpSchema, loadConfigOrExit, logSchema } from '@pinion/service-kit'
import { refineSessionConfig, sessionSchema } from '@pinion/sessions'
import { z } from 'zod'

/** Upload limits; the stored-bytes quota comes from the user's account, not from here. */
export const uploadSchema = z.object({
  /** Largest request body accepted, in bytes (413 beyond). Default 32 GiB. */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .default(32 * 1024 ** 3),
  /** Most `file` parts in one multipart request (413 beyond); bounds the path bookkeeping. */
  UPLOAD_MAX_FILES: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
})

/** Every variable upload reads; `.env.example` documents each one. */
export const ConfigSchema = z
  .object({
    ...httpSchema.shape,
    ...logSchema.shape,
    ...databaseSchema.shape,
    ...natsSchema.shape,
    ...blockstoreSchema.shape,
    ...authSchema.shape,
    ...pinsSchema.shape,
    ...uploadSchema.shape,
    ...sessionSchema.shape,
  })
  .superRefine(refineAuthConfig)
  .superRefine(refineSessionConfig)

export type Config = z.infer<typeof ConfigSchema>

/** Parses the environment, or prints every problem (names, never values) and exits 1. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfigOrExit(ConfigSchema, env, 'upload')
}
