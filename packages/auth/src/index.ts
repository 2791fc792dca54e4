/**
 * Pinion API tokens: asymmetric JWTs (EdDSA or ES256, signed with `jose`) that carry a user, a
 * token id and scopes. The dashboard issues them; every service verifies them locally against
 * public keys (a JWKS), rejects revoked ones within 5 s through a polling, caching revocation list,
 * and guards routes with `requireToken`, which answers 401/403 in the Pinning API error format.
 * Tokens of an external OpenID Connect provider can be accepted as well.
 *
 * @example
 * ```ts
 * // deps.ts
 * const auth = await createAuth(config, { logger, revocationSource: db.apiTokens })
 * deps.startables.push(auth.revocations)
 * deps.readinessChecks.push(auth.revocations.healthCheck)
 * // app.ts
 * app.use('/pinning/api/v1', auth.requireToken('pinning'), pinsRouter(deps))
 * // a handler
 * const { userId } = getAuth(req)
 * ```
 */
export { authSchema, refineAuthConfig, type AuthConfig } from './config.js'
export {
  keysFromSources,
  loadAuthKeys,
  type AuthKeyConfig,
  type AuthKeys,
  type KeyProblem,
  type KeySource,
} from './auth-keys.js'
export {
  isValidKid,
  jwkThumbprint,
  mergePublicKeys,
  parsePublicKeys,
  signingAlgorithms,
  type JwksDocument,
  type PublicJwk,
  type SigningAlgorithm,
} from './public-keys.js'
export {
  generateSigningKey,
  parseSigningKey,
  type GeneratedSigningKey,
  type SigningKey,
} from './signing-key.js'
export { ensureSigningKeyFile } from './key-file.js'
export { createJwksRouter, jwksDocument } from './jwks-router.js'
export {
  formatScopeClaim,
  ScopeClaimSchema,
  ScopeListSchema,
  ScopeSchema,
  scopes,
  type Scope,
} from './scopes.js'
export {
  AuthError,
  InsufficientScopeError,
  InvalidTokenError,
  MissingTokenError,
  type BearerErrorCode,
} from './errors.js'
export {
  createTokenIssuer,
  type IssueApiTokenInput,
  type TokenIssuer,
  type TokenIssuerInit,
} from './issuer.js'
export {
  createTokenVerifier,
  type TokenVerifierComponents,
  type TokenVerifierInit,
} from './verifier.js'
export type { RemoteJwksOptions } from './remote-jwks.js'
export {
  createOidcVerifier,
  type OidcIdentityResolver,
  type OidcVerifierInit,
} from './oidc-verifier.js'
export { combineVerifiers } from './verifier-chain.js'
export type {
  IssuerTokenVerifier,
  TokenVerifier,
  VerifiedApiToken,
  VerifiedOidcToken,
  VerifiedToken,
} from './verified-token.js'
export type { RevocationSource, RevokedToken } from './revocation-source.js'
export {
  createRevocationList,
  type RevocationList,
  type RevocationListInit,
  type RevocationListState,
  type TokenStatus,
} from './revocation-list.js'
export {
  createLastUsedTracker,
  type LastUsedInit,
  type LastUsedTracker,
  type RecordLastUsed,
} from './last-used.js'
export {
  requireToken,
  tokenAuthenticator,
  writeAuthFailure,
  type RequireTokenOptions,
} from './middleware.js'
export { cachingVerifier, type TokenCacheInit } from './token-cache.js'
export { getAuth, type AuthContext } from './request-auth.js'
export { createAuth, type Auth, type AuthComponents } from './create-auth.js'
