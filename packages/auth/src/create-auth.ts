import type { IncomingHttpHeaders } from 'node:http'
import type { Logger } from '@pinion/service-kit'
import type { RequestHandler, Router } from 'express'
import { loadAuthKeys, type AuthKeys } from './auth-keys.js'
import type { AuthConfig } from './config.js'
import { createTokenIssuer, type TokenIssuer } from './issuer.js'
import { createJwksRouter } from './jwks-router.js'
import { createLastUsedTracker, type LastUsedTracker, type RecordLastUsed } from './last-used.js'
import { requireToken, tokenAuthenticator } from './middleware.js'
import { createOidcVerifier, type OidcIdentityResolver } from './oidc-verifier.js'
import { createRevocationList, type RevocationList } from './revocation-list.js'
import type { RevocationSource } from './revocation-source.js'
import type { Scope } from './scopes.js'
import { cachingVerifier } from './token-cache.js'
import { combineVerifiers } from './verifier-chain.js'
import { createTokenVerifier } from './verifier.js'
import type { IssuerTokenVerifier, TokenVerifier, VerifiedToken } from './verified-token.js'

/** What a service provides to {@link createAuth}: the store and, optionally, OIDC and last-use. */
export interface AuthComponents {
  logger: Logger
  /** Revocation state (the db package's api_tokens repository). */
  revocationSource: RevocationSource
  /** Needed when `AUTH_OIDC_ISSUER` is set: links provider identities to Pinion users. */
  identities?: OidcIdentityResolver
  /** Where "last used" goes; without it uses are not recorded. */
  recordLastUsed?: RecordLastUsed
}

/** Everything token-related a service wires in from one config. */
export interface Auth {
  readonly keys: AuthKeys
  /** Present only when a signing key is configured. */
  readonly issuer: TokenIssuer | undefined
  readonly verifier: TokenVerifier
  /** Add to the service's startables and its `healthCheck` to readiness. */
  readonly revocations: RevocationList
  readonly lastUsed: LastUsedTracker | undefined
  /**
   * `requireToken` with this deployment's verifier, revocations and last-use tracker. With
   * `cacheVerification`, a token's signature and claims are checked once per 30 s (never past its
   * expiry) for APIs whose clients send the same token with every request; revocation is still
   * checked on every request.
   */
  requireToken(scope: Scope, options?: { cacheVerification?: boolean }): RequestHandler
  /**
   * The checks of `requireToken` (same verifier cache, revocations and last-use tracker) as a
   * plain function of the request headers, for handlers in front of Express; given the request's
   * connection (`req.socket`), a cached verification is reused on it without hashing the token
   * again. It resolves to the verified token and throws what `tokenAuthenticator` throws;
   * rendering errors is the caller's.
   */
  authenticator(
    scope: Scope,
    options?: { cacheVerification?: boolean },
  ): (headers: IncomingHttpHeaders, connection?: object) => Promise<VerifiedToken>
  /** `GET /.well-known/jwks.json` with the locally configured public keys. */
  jwksRouter(): Router
}

/** How long and how many verifications `requireToken(scope, { cacheVerification })` reuses. */
const verificationCache = { ttlMs: 30_000, maxEntries: 10_000 }

function oidcVerifier(
  config: AuthConfig,
  components: AuthComponents,
): IssuerTokenVerifier | undefined {
  const {
    AUTH_OIDC_ISSUER: issuer,
    AUTH_OIDC_JWKS_URL: jwksUrl,
    AUTH_OIDC_AUDIENCE: audience,
  } = config
  // The schema requires all three together; any missing means OIDC is off.
  if (!issuer || !jwksUrl || !audience) return undefined
  if (!components.identities)
    throw new TypeError('AUTH_OIDC_ISSUER is set but no OIDC identity resolver was given')
  return createOidcVerifier(
    { identities: components.identities, jwksUrl: new URL(jwksUrl) },
    {
      issuer,
      audience,
      groupsClaim: config.AUTH_OIDC_GROUPS_CLAIM,
      groupScopes: config.AUTH_OIDC_GROUP_SCOPES ?? {},
      clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_S,
    },
  )
}

/**
 * Builds the token machinery from an {@link AuthConfig}: reads key files, creates the issuer (if
 * a signing key is set), the verifier (local keys, remote JWKS, and the OIDC provider when
 * configured, routed by `iss`), the revocation list and the last-use tracker. Call it in
 * `deps.ts`; it opens no connection (the revocation list polls once started).
 *
 * @throws ConfigError for unreadable or invalid key files; TypeError when OIDC is configured
 *   without `components.identities`.
 */
export async function createAuth(config: AuthConfig, components: AuthComponents): Promise<Auth> {
  const keys = await loadAuthKeys(config)
  const pinion = createTokenVerifier(
    {
      publicKeys: keys.publicKeys,
      jwksUrl: config.AUTH_JWKS_URL ? new URL(config.AUTH_JWKS_URL) : undefined,
    },
    {
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_S,
    },
  )
  const oidc = oidcVerifier(config, components)
  const verifier = oidc ? combineVerifiers([pinion, oidc]) : pinion
  const revocations = createRevocationList(
    { source: components.revocationSource, logger: components.logger },
    { pollIntervalMs: config.AUTH_REVOCATION_POLL_MS, cacheTtlMs: config.AUTH_REVOCATION_CACHE_MS },
  )
  const lastUsed = components.recordLastUsed
    ? createLastUsedTracker(
        { record: components.recordLastUsed, logger: components.logger },
        { intervalMs: config.AUTH_LAST_USED_INTERVAL_S * 1000 },
      )
    : undefined
  const issuer = keys.signingKey
    ? createTokenIssuer(
        { signingKey: keys.signingKey },
        { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE },
      )
    : undefined
  // One cache for every route of the service, so a token verified by one is reused by the others.
  const cachedVerifier = cachingVerifier(verifier, verificationCache)
  const checks = (scope: Scope, options?: { cacheVerification?: boolean }) => ({
    verifier: options?.cacheVerification ? cachedVerifier : verifier,
    reuseOnConnectionMs: options?.cacheVerification ? verificationCache.ttlMs : undefined,
    revocations,
    scope,
    lastUsed,
  })
  return {
    keys,
    issuer,
    verifier,
    revocations,
    lastUsed,
    requireToken: (scope, options) => requireToken(checks(scope, options)),
    authenticator: (scope, options) => tokenAuthenticator(checks(scope, options)),
    jwksRouter: () => createJwksRouter(keys.publicKeys),
  }
}
