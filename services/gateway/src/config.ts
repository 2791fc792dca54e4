import { authSchema, refineAuthConfig } from '@pinion/auth'
import { blockstoreSchema } from '@pinion/blockstore'
import { databaseSchema } from '@pinion/db'
import { natsSchema } from '@pinion/messaging'
import { httpSchema, loadConfigOrExit, logSchema } from '@pinion/service-kit'
import { z } from 'zod'

/** Every variable gateway reads; `.env.example` documents each one. */
export const ConfigSchema = z
  .object({
    ...httpSchema.shape,
    ...logSchema.shape,
    ...databaseSchema.shape,
    ...natsSchema.shape,
    ...blockstoreSchema.shape,
    ...authSchema.shape,
  })
  .superRefine(refineAuthConfig)

export type Config = z.infer<typeof ConfigSchema>

/** Parses the environment, or prints every problem (names, never values) and exits 1. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfigOrExit(ConfigSchema, env, 'gateway')
}
