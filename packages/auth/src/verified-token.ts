import type { Scope } from './scopes.js'

/** A Pinion API token that passed signature and claim checks (not yet the revocation check). */
export interface VerifiedApiToken {
  readonly kind: 'api-token'
  readonly userId: string
  /** The `jti`: the database row revocation and "last used" refer to. */
  readonly tokenId: string
  readonly scopes: readonly Scope[]
  readonly expiresAt: Date | undefined
}

/** An access token from the configured external OpenID Connect provider. */
export interface VerifiedOidcToken {
  readonly kind: 'oidc'
  /** The Pinion user linked to the provider identity. */
  readonly userId: string
  /** OIDC tokens have no Pinion token row: the provider's expiry bounds them instead. */
  readonly tokenId: undefined
  readonly issuer: string
  readonly subject: string
  readonly scopes: readonly Scope[]
  readonly expiresAt: Date | undefined
}

/** What a verifier returns, and what `requireToken` puts on `req.auth`. */
export type VerifiedToken = VerifiedApiToken | VerifiedOidcToken

/** Checks a bearer token and says who it stands for. */
export interface TokenVerifier {
  /**
   * @throws InvalidTokenError when the token cannot be accepted (details say why);
   *   ServiceUnavailableError when keys cannot be fetched from a remote JWKS right now.
   */
  verify(token: string): Promise<VerifiedToken>
}

/** A verifier for tokens of one issuer, so several can be combined by `iss`. */
export interface IssuerTokenVerifier extends TokenVerifier {
  readonly issuer: string
}
