import { authSchema, refineAuthConfig } from '@pinion/auth'
import { blockstoreSchema } from '@pinion/blockstore'
import { databaseSchema } from '@pinion/db'
import { natsSchema } from '@pinion/messaging'
import { pinsSchema } from '@pinion/pins'
import { httpSchema, loadConfigOrExit, logSchema } from '@pinion/service-kit'
import { z } from 'zod'

const second = 1000
const minute = 60 * second

/**
 * The GitHub App's identity and the bot's limits. The App is optional: without `GITHUB_APP_ID`
 * the service starts, `/github/webhooks` answers 503 and the setup page helps register one.
 */
export const githubSchema = z.object({
  /** The App's numeric id (or client id), the JWT's `iss`. */
  GITHUB_APP_ID: z.string().min(1).optional(),
  /** The App's private key (PEM, PKCS#1 as GitHub hands it out, or PKCS#8), inline or as a file. */
  GITHUB_PRIVATE_KEY: z.string().min(1).optional(),
  GITHUB_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  /** The webhook secret set on the App, inline or as a file. */
  GITHUB_WEBHOOK_SECRET: z.string().min(1).optional(),
  GITHUB_WEBHOOK_SECRET_FILE: z.string().min(1).optional(),
  /** REST API root: github.com, `https://HOST/api/v3` on Enterprise Server, or a test fake. */
  GITHUB_API_URL: z.url().default('https://api.github.com'),
  /** Web root, for the App manifest flow: `https://github.com` or `https://HOST`. */
  GITHUB_WEB_URL: z.url().default('https://github.com'),
  /** First wait before a release is read again for assets uploaded after `published`, in ms. */
  GITHUB_RELEASE_POLL_INITIAL_MS: z.coerce
    .number()
    .int()
    .min(10)
    .default(15 * second),
  /** Longest time a release is polled for late assets, in ms (GitHub sends no event for them). */
  GITHUB_RELEASE_POLL_MAX_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(10 * minute),
  /** Largest file (release asset, source archive, repository tarball) downloaded, in bytes. */
  GITHUB_MAX_DOWNLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .default(2 * 1024 ** 3),
  /** Directory pins kept per repository, branch and path when `keep` is not configured. */
  GITHUB_KEEP_PINS: z.coerce.number().int().min(1).max(1000).default(10),
  /** Longest wait honoured for one rate-limited GitHub answer before giving up, in ms. */
  GITHUB_RATE_LIMIT_MAX_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(15 * minute),
  /** Retries of one rate-limited GitHub request. */
  GITHUB_RATE_LIMIT_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
})

export type GithubConfig = z.infer<typeof githubSchema>

type Issue = (path: string, message: string) => void

/** Cross-field rules of {@link githubSchema}, naming the variable at fault. */
export function refineGithubConfig(config: GithubConfig, issue: Issue): void {
  for (const name of ['GITHUB_PRIVATE_KEY', 'GITHUB_WEBHOOK_SECRET'] as const) {
    if (config[name] !== undefined && config[`${name}_FILE`] !== undefined) {
      issue(`${name}_FILE`, `set ${name} or ${name}_FILE, not both`)
    }
  }
  if (config.GITHUB_APP_ID === undefined) return
  if (config.GITHUB_PRIVATE_KEY === undefined && config.GITHUB_PRIVATE_KEY_FILE === undefined) {
    issue('GITHUB_PRIVATE_KEY', 'GITHUB_APP_ID needs GITHUB_PRIVATE_KEY or GITHUB_PRIVATE_KEY_FILE')
  }
  if (
    config.GITHUB_WEBHOOK_SECRET === undefined &&
    config.GITHUB_WEBHOOK_SECRET_FILE === undefined
  ) {
    issue(
      'GITHUB_WEBHOOK_SECRET',
      'GITHUB_APP_ID needs GITHUB_WEBHOOK_SECRET or GITHUB_WEBHOOK_SECRET_FILE',
    )
  }
}

/** Every variable github-bot reads; `.env.example` documents each one. */
export const ConfigSchema = z
  .object({
    ...httpSchema.shape,
    ...logSchema.shape,
    ...databaseSchema.shape,
    ...natsSchema.shape,
    ...blockstoreSchema.shape,
    ...authSchema.shape,
    ...pinsSchema.shape,
    ...githubSchema.shape,
  })
  .superRefine((config, context) => {
    refineAuthConfig(config, context)
    refineGithubConfig(config, (path, message) =>
      context.addIssue({ code: 'custom', path: [path], message }),
    )
  })

export type Config = z.infer<typeof ConfigSchema>

/** Parses the environment, or prints every problem (names, never values) and exits 1. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfigOrExit(ConfigSchema, env, 'github-bot')
}
