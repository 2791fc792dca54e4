import { authSchema, refineAuthConfig } from '@pinion/auth'
import { blockstoreSchema } from '@pinion/blockstore'
import { databaseSchema } from '@pinion/db'
import { natsSchema } from '@pinion/messaging'
import { httpSchema, loadConfigOrExit, logSchema } from '@pinion/service-kit'
import { refineSessionConfig, sessionSchema } from '@pinion/sessions'
import { z } from 'zod'

/** The prover's own variables (the tagging authority's master key, limits, rate limits). */
export const proverSchema = z.object({
  /**
   * 32 random bytes (base64 or hex) that seal TA secrets at rest (AES-256-GCM) and from which the
   * service's Ed25519 signing key is derived. Losing it makes every server-tagged key useless.
   */
  PROVER_SECRETS_KEY: z.string().min(1).optional(),
  /** Path of a file holding PROVER_SECRETS_KEY's value (a mounted Kubernetes Secret). */
  PROVER_SECRETS_KEY_FILE: z.string().min(1).optional(),
  /** Tagging threads (worker_threads), each tagging one root at a time. */
  PROVER_TAG_THREADS: z.coerce.number().int().min(1).max(16).default(1),
  /** How long `POST /tag` waits for a small DAG before answering 202 with progress, in ms. */
  PROVER_TAG_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** Largest DAG (bytes) the service tags. */
  PROVER_MAX_TAG_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(1024 * 1024 * 1024),
  /** Largest `c` a proof is computed for (the format allows 100 000; proving is CPU work). */
  PROVER_MAX_CHALLENGE: z.coerce.number().int().min(1).max(100_000).default(2000),
  /** `POST /prover/prove` requests per minute from one client address. */
  PROVER_PROVE_RATE_PER_IP: z.coerce.number().int().min(1).default(30),
  /** `POST /prover/prove` requests per minute for one key, whoever asks. */
  PROVER_PROVE_RATE_PER_KEY: z.coerce.number().int().min(1).default(60),
  /** Largest `POST /register` body (client-side tags), in bytes. */
  PROVER_MAX_REGISTER_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
})

/** The prover's own configuration. */
export type ProverConfig = z.infer<typeof proverSchema>

/** Every variable prover reads; `.env.example` documents each one. */
export const ConfigSchema = z
  .object({
    ...httpSchema.shape,
    ...logSchema.shape,
    ...databaseSchema.shape,
    ...natsSchema.shape,
    ...blockstoreSchema.shape,
    ...authSchema.shape,
    ...proverSchema.shape,
    ...sessionSchema.shape,
  })
  .superRefine((config, ctx) => {
    refineAuthConfig(config, ctx)
    refineSessionConfig(config, ctx)
    const inline = config.PROVER_SECRETS_KEY !== undefined
    const file = config.PROVER_SECRETS_KEY_FILE !== undefined
    if (inline === file)
      ctx.addIssue({
        code: 'custom',
        path: ['PROVER_SECRETS_KEY'],
        message:
          'set exactly one of PROVER_SECRETS_KEY or PROVER_SECRETS_KEY_FILE (32 random bytes)',
      })
  })

export type Config = z.infer<typeof ConfigSchema>

/** Parses the environment, or prints every problem (names, never values) and exits 1. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfigOrExit(ConfigSchema, env, 'prover')
}
