import { z } from 'zod'
import { keysFromSources } from './auth-keys.js'
import { isValidKid } from './public-keys.js'
import { ScopeListSchema } from './scopes.js'

const jsonObject = z.string().transform((value, ctx) => {
  try {
    return JSON.parse(value) as unknown
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be valid JSON' })
    return z.NEVER
  }
})

/**
 * The auth configuration fragment. A service spreads `authSchema.shape` into its own schema and
 * adds `.superRefine(refineAuthConfig)` (spreading a shape drops refinements), or parses
 * `authSchema` on its own. Key files are read later by `loadAuthKeys`, in `deps.ts`.
 */
export const authSchema = z
  .object({
    /** `iss` of the tokens this deployment issues and accepts. */
    AUTH_ISSUER: z.string().min(1).default('pinion'),
    /** `aud` of the tokens this deployment issues and accepts. */
    AUTH_AUDIENCE: z.string().min(1).default('pinion'),
    /**
     * Private key tokens are signed with (Ed25519 or P-256), as PEM (PKCS#8/SEC1) or a private JWK.
     * Only where tokens are issued (dashboard, admin CLI); verify-only services leave it unset.
     */
    AUTH_SIGNING_KEY: z.string().min(1).optional(),
    /** Path of a file holding AUTH_SIGNING_KEY's value (a mounted Kubernetes Secret). */
    AUTH_SIGNING_KEY_FILE: z.string().min(1).optional(),
    /** Key id (`kid`) of the signing key; defaults to the JWK's kid or its RFC 7638 thumbprint. */
    AUTH_SIGNING_KEY_ID: z
      .string()
      .refine(isValidKid, 'must be 1-128 characters [A-Za-z0-9_.:-]')
      .optional(),
    /**
     * Public keys tokens may be verified with, as a JWKS `{"keys":[…]}` (or one JWK). List the
     * current key and every retired key whose tokens should still work (rotation).
     */
    AUTH_PUBLIC_KEYS: z.string().min(1).optional(),
    /** Path of a file holding AUTH_PUBLIC_KEYS's value. */
    AUTH_PUBLIC_KEYS_FILE: z.string().min(1).optional(),
    /**
     * A JWKS URL (e.g. the dashboard's `/.well-known/jwks.json`) asked for keys that are not
     * configured locally; cached, and re-fetched when a token names an unknown kid.
     */
    AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Leeway for `exp`/`nbf` checks, in seconds, for clocks that drift between machines. */
    AUTH_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(300).default(5),
    /**
     * How often the revocation list asks the database for newly revoked tokens, in ms. At most
     * 4000 so that a revocation reaches every service within 5 s.
     */
    AUTH_REVOCATION_POLL_MS: z.coerce.number().int().min(100).max(4000).default(2000),
    /**
     * How long a "token is active" answer is reused before the database is asked again, in ms.
     * At most 4000: it bounds how long a deleted token keeps working even if polling fails.
     */
    AUTH_REVOCATION_CACHE_MS: z.coerce.number().int().min(0).max(4000).default(2000),
    /** Minimum time between two "last used" writes for one token, in seconds. */
    AUTH_LAST_USED_INTERVAL_S: z.coerce.number().int().min(1).max(86_400).default(60),
    /** Issuer (`iss`) of an external OpenID Connect provider whose access tokens are accepted. */
    AUTH_OIDC_ISSUER: z.string().min(1).optional(),
    /** That provider's JWKS URL (its discovery document's `jwks_uri`). */
    AUTH_OIDC_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** The audience its tokens must name for this deployment (the client id or API identifier). */
    AUTH_OIDC_AUDIENCE: z.string().min(1).optional(),
    /** Claim holding the user's groups; a dotted path reaches nested claims (`realm_access.roles`). */
    AUTH_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
    /**
     * Group → scopes as JSON, e.g. `{"pinion-users":["pinning","upload","gateway"]}`. A token gets
     * the union of its groups' scopes.
     */
    AUTH_OIDC_GROUP_SCOPES: jsonObject
      .pipe(z.record(z.string().min(1), ScopeListSchema))
      .optional(),
  })
  .superRefine((config, ctx) => refineAuthConfig(config, ctx))

/** The parsed auth configuration. */
export type AuthConfig = z.output<typeof authSchema>

function exclusive(config: AuthConfig, name: 'AUTH_SIGNING_KEY' | 'AUTH_PUBLIC_KEYS') {
  return config[name] !== undefined && config[`${name}_FILE`] !== undefined
}

const oidcVariables = [
  'AUTH_OIDC_ISSUER',
  'AUTH_OIDC_JWKS_URL',
  'AUTH_OIDC_AUDIENCE',
  'AUTH_OIDC_GROUP_SCOPES',
] as const

/**
 * The cross-field rules of {@link authSchema}, exported for services that compose its shape into
 * their own schema. Each issue names the variable to fix; none repeats a value.
 */
export function refineAuthConfig(config: AuthConfig, ctx: z.RefinementCtx): void {
  const issue = (variable: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [variable], message })
  for (const name of ['AUTH_SIGNING_KEY', 'AUTH_PUBLIC_KEYS'] as const)
    if (exclusive(config, name)) issue(`${name}_FILE`, `set ${name} or ${name}_FILE, not both`)
  const signs = config.AUTH_SIGNING_KEY !== undefined || config.AUTH_SIGNING_KEY_FILE !== undefined
  if (config.AUTH_SIGNING_KEY_ID !== undefined && !signs)
    issue('AUTH_SIGNING_KEY_ID', 'needs AUTH_SIGNING_KEY or AUTH_SIGNING_KEY_FILE')
  const lists = config.AUTH_PUBLIC_KEYS !== undefined || config.AUTH_PUBLIC_KEYS_FILE !== undefined
  if (!signs && !lists && config.AUTH_JWKS_URL === undefined)
    issue(
      'AUTH_PUBLIC_KEYS',
      'no key to verify tokens with: set AUTH_PUBLIC_KEYS(_FILE), AUTH_JWKS_URL or AUTH_SIGNING_KEY(_FILE)',
    )
  // Inline keys are checked here so a typo fails like any other bad variable; files are read later.
  const { problems } = keysFromSources({
    signingKey:
      config.AUTH_SIGNING_KEY === undefined
        ? undefined
        : { variable: 'AUTH_SIGNING_KEY', text: config.AUTH_SIGNING_KEY },
    kid: config.AUTH_SIGNING_KEY_ID,
    publicKeys:
      config.AUTH_PUBLIC_KEYS === undefined
        ? undefined
        : { variable: 'AUTH_PUBLIC_KEYS', text: config.AUTH_PUBLIC_KEYS },
  })
  for (const problem of problems) issue(problem.variable, problem.message)
  if (oidcVariables.some((name) => config[name] !== undefined)) {
    for (const name of oidcVariables)
      if (config[name] === undefined) issue(name, 'required when accepting OIDC tokens')
    if (config.AUTH_OIDC_ISSUER === config.AUTH_ISSUER)
      issue('AUTH_OIDC_ISSUER', 'must differ from AUTH_ISSUER (tokens are routed by issuer)')
  }
}
