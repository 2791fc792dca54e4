import { blockstoreSchema } from '@pinion/blockstore'
import { databaseSchema } from '@pinion/db'
import { natsSchema } from '@pinion/messaging'
import { httpSchema, loadConfigOrExit, logSchema } from '@pinion/service-kit'
import { z } from 'zod'

const milliseconds = (min: number, fallback: number) =>
  z.coerce.number().int().min(min).default(fallback)

/** The worker's own settings: how much it does at once and how its sweeper behaves. */
export const workerSchema = z.object({
  /** Pin requests handled at once by this instance (content already present pins in milliseconds). */
  WORKER_PIN_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
  /** Removals (unpins) handled at once by this instance. */
  WORKER_REMOVAL_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  /** How often the sweeper runs, in ms (one instance at a time, under a Postgres advisory lock). */
  SWEEP_INTERVAL_MS: milliseconds(100, 10_000),
  /**
   * How old an unacknowledged row (published_at null) must be before the sweeper publishes it, in
   * ms: a younger one is probably being published by the API right now.
   */
  SWEEP_OUTBOX_GRACE_MS: milliseconds(0, 5_000),
  /**
   * A queued or pinning pin whose row has not moved (no progress) for this long is published again,
   * in ms. Keep it above the longest backlog wait you expect; a duplicate request is harmless.
   */
  SWEEP_STALL_MS: milliseconds(1_000, 5 * 60_000),
  /** Rows the sweeper handles per kind and round. */
  SWEEP_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
})

/** Every variable worker reads; `.env.example` documents each one. */
export const ConfigSchema = z.object({
  ...httpSchema.shape,
  ...logSchema.shape,
  ...databaseSchema.shape,
  ...natsSchema.shape,
  ...blockstoreSchema.shape,
  ...workerSchema.shape,
})

export type Config = z.infer<typeof ConfigSchema>

/** Parses the environment, or prints every problem (names, never values) and exits 1. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfigOrExit(ConfigSchema, env, 'worker')
}
