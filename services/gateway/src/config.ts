import { authSchema, refineAuthConfig } from '@pinion/auth'
import { blockstoreSchema } from '@pinion/blockstore'
import { databaseSchema } from '@pinion/db'
import { natsSchema } from '@pinion/messaging'
import { envBoolean, httpSchema, loadConfigOrExit, logSchema } from '@pinion/service-kit'
import { refineSessionConfig, sessionSchema } from '@pinion/sessions'
import { z } from 'zod'

/** The gateway's own variables (the fragments of the packages it uses come on top). */
export const gatewaySchema = z.object({
  /**
   * Origin (`https://gw.example.org`) that serves `/gateway/web/ipfs/…`, apart from the dashboard's
   * origin. When set, web requests arriving on any other origin are redirected there and content
   * is served without the `Content-Security-Policy: sandbox` that otherwise isolates it.
   */
  GATEWAY_WEB_ORIGIN: z
    .url({ protocol: /^https?$/ })
    .transform((value) => new URL(value).origin)
    .optional(),
  /**
   * `Cache-Control` of immutable responses says `private` instead of the spec's `public`: set it
   * when a shared cache (CDN) sits in front and every read must be authenticated and metered.
   */
  GATEWAY_CACHE_PRIVATE: envBoolean.default(false),
  /**
   * Answer token reads of `/gateway/api/v1/ipfs/…` on the hot path in front of Express (the same
   * gateway code, several times fewer CPU µs per small request). `false` sends every request
   * through Express, as before the hot path existed.
   */
  GATEWAY_FAST_PATH: envBoolean.default(true),
  /** Longest request path after the route prefix (`/ipfs/<cid>/…`), in bytes. */
  GATEWAY_MAX_PATH_LENGTH: z.coerce.number().int().min(64).max(65_536).default(4096),
  /** Most path segments after the CID. */
  GATEWAY_MAX_PATH_SEGMENTS: z.coerce.number().int().min(1).max(4096).default(256),
  /** Deepest UnixFS file tree (levels of intermediate nodes) or HAMT the gateway walks. */
  GATEWAY_MAX_DAG_DEPTH: z.coerce.number().int().min(4).max(1024).default(64),
  /**
   * Memory for recently served small blocks (≤ 1 MiB each, kept ≤ 60 s), in MiB; 0 disables it.
   * Popular small files and directory blocks are then served without a blockstore read.
   */
  GATEWAY_BLOCK_CACHE_MB: z.coerce.number().int().min(0).max(65_536).default(64),
  /**
   * Memory for finished small answers (≤ 64 KiB each, kept ≤ 60 s), in MiB; 0 disables it. A
   * popular small file, block or document is then written from memory: auth, quota, metering and
   * logging still run for every request, only the gateway's own work is skipped.
   */
  GATEWAY_RESPONSE_CACHE_MB: z.coerce.number().int().min(0).max(65_536).default(16),
  /** How often metered gateway bytes are written to `usage_counters`, in milliseconds. */
  GATEWAY_USAGE_FLUSH_MS: z.coerce.number().int().min(100).default(10_000),
  /** How long a user's monthly usage and quota are cached between database reads, in ms. */
  GATEWAY_QUOTA_CACHE_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * Default monthly gateway bandwidth per user, in bytes (a user's `max_gateway_bytes_per_month`
   * overrides it). Unset: no limit.
   */
  QUOTA_MAX_GATEWAY_BYTES_PER_MONTH: z.coerce.bigint().nonnegative().optional(),
})

/** Every variable gateway reads; the service README documents each one. */
export const ConfigSchema = z
  .object({
    ...httpSchema.shape,
    ...logSchema.shape,
    ...databaseSchema.shape,
    ...natsSchema.shape,
    ...blockstoreSchema.shape,
    ...authSchema.shape,
    ...gatewaySchema.shape,
    ...sessionSchema.shape,
  })
  .superRefine(refineAuthConfig)
  .superRefine(refineSessionConfig)

export type Config = z.infer<typeof ConfigSchema>

/** Parses the environment, or prints every problem (names, never values) and exits 1. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfigOrExit(ConfigSchema, env, 'gateway')
}
