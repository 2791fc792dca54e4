import { authSchema, refineAuthConfig } from '@pinion/auth'
import { blockstoreSchema } from '@pinion/blockstore'
import { databaseSchema } from '@pinion/db'
import { natsSchema } from '@pinion/messaging'
import { pinsSchema } from '@pinion/pins'
import { envBoolean, httpSchema, loadConfigOrExit, logSchema } from '@pinion/service-kit'
import { refineSessionConfig, sessionSchema } from '@pinion/sessions'
import { z } from 'zod'

/** One OpenID Connect provider users may sign in with. */
const OidcProviderSchema = z.object({
  /** Short name in URLs: `/api/account/auth/oidc/<name>`. */
  name: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and dashes'),
  /** What the sign-in button says. */
  label: z.string().min(1).max(80),
  /** The issuer URL; its discovery document is read at start-up. */
  issuer: z.url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).optional(),
})
export type OidcProviderConfig = z.infer<typeof OidcProviderSchema>

const jsonOidcProviders = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not valid JSON' })
      return z.NEVER
    }
  })
  .pipe(z.array(OidcProviderSchema).max(20))

/** Sign-in settings of the dashboard. */
export const signInSchema = z.object({
  /** Whether anyone may create an account with e-mail and password (false: invited/SSO only). */
  SIGNUP_OPEN: envBoolean.default(true),
  /** Failed password sign-ins allowed per e-mail and client address per window. */
  SIGNIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(5),
  /** The throttling window, in seconds. */
  SIGNIN_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Sign-up attempts allowed per client address per window (every replica counts together). */
  SIGNUP_MAX_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(20),
  /** The sign-up window, in seconds. */
  SIGNUP_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(3600),
  /** GitHub OAuth App (or GitHub App) client id; sign-in with GitHub is on when both are set. */
  GITHUB_CLIENT_ID: z.string().min(1).optional(),
  GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where GitHub's OAuth pages live (GitHub Enterprise, or a fake GitHub in tests). */
  GITHUB_WEB_URL: z.url().default('https://github.com'),
  /** GitHub's REST API (for /user and /user/emails). */
  GITHUB_API_URL: z.url().default('https://api.github.com'),
  /** The GitHub App's slug, for the "install the App" link; empty: no App configured. */
  GITHUB_APP_SLUG: z.string().min(1).optional(),
  /**
   * OpenID Connect providers, as JSON: `[{"name","label","issuer","clientId","clientSecret"}]`.
   * The callback URL to register is `<PUBLIC_URL>/api/account/auth/oidc/<name>/callback`.
   */
  OIDC_PROVIDERS: jsonOidcProviders.default([]),
  /** Default monthly gateway allowance per user, in bytes (the gateway enforces it; shown here). */
  QUOTA_MAX_GATEWAY_BYTES_PER_MONTH: z.coerce.bigint().nonnegative().optional(),
})

/** Every variable dashboard reads; `.env.example` documents each one. */
export const ConfigSchema = z
  .object({
    ...httpSchema.shape,
    ...logSchema.shape,
    ...databaseSchema.shape,
    ...natsSchema.shape,
    ...authSchema.shape,
    ...sessionSchema.shape,
    ...signInSchema.shape,
    ...pinsSchema.shape,
    // Only to find the delegates of PinStatus answers (resolveDelegates), as pinning-api does.
    ...blockstoreSchema.pick({ BLOCKSTORE: true, BLOCKSTORE_PATH: true, KUBO_RPC_URL: true }).shape,
  })
  .superRefine(refineAuthConfig)
  .superRefine(refineSessionConfig)
  .superRefine((config, ctx) => {
    if ((config.GITHUB_CLIENT_ID === undefined) !== (config.GITHUB_CLIENT_SECRET === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['GITHUB_CLIENT_SECRET'],
        message: 'set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET together',
      })
  })

export type Config = z.infer<typeof ConfigSchema>

/** Parses the environment, or prints every problem (names, never values) and exits 1. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfigOrExit(ConfigSchema, env, 'dashboard')
}
