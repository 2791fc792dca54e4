import { authSchema, refineAuthConfig } from '@pinion/auth'
import { blockstoreSchema } from '@pinion/blockstore'
import { databaseSchema } from '@pinion/db'
import { parseConfig } from '@pinion/service-kit'
import { z } from 'zod'

/**
 * The CLI reads only what the command at hand needs, so `pinion keys generate` works without a
 * database and `pinion migrate` without a signing key.
 */
export const DatabaseCliSchema = databaseSchema
export const IssuerCliSchema = z.object({ ...authSchema.shape }).superRefine(refineAuthConfig)

export type Env = Record<string, string | undefined>

export function databaseConfig(env: Env) {
  return parseConfig(DatabaseCliSchema, env)
}

/** Blockstore settings (import spool folder, block size limit) for `pinion kubo mirror`. */
export function blockstoreConfig(env: Env) {
  return parseConfig(blockstoreSchema, env)
}

export function issuerConfig(env: Env) {
  return parseConfig(IssuerCliSchema, env)
}

/** The environment the CLI reads (the CLI's commands parse their own part of it). */
export const cliEnv = (): Env => process.env
