import { createLocalJWKSet, errors, type JWTVerifyGetKey } from 'jose'
import { z } from 'zod'
import { InvalidTokenError } from './errors.js'
import { verifyJwtPayload } from './jose-adapter.js'
import { signingAlgorithms, type PublicJwk } from './public-keys.js'
import { remoteKeyResolver, type RemoteJwksOptions } from './remote-jwks.js'
import { ScopeClaimSchema } from './scopes.js'
import type { IssuerTokenVerifier, VerifiedApiToken } from './verified-token.js'

/** Where a verifier finds keys: local public keys, a JWKS URL, or both (local first). */
export interface TokenVerifierComponents {
  publicKeys?: readonly PublicJwk[]
  jwksUrl?: URL | undefined
  remoteJwks?: RemoteJwksOptions
}

/** The claims every accepted token must carry, besides what the config fixes. */
export interface TokenVerifierInit {
  issuer: string
  audience: string
  /** Leeway for `exp` and `nbf`, in seconds (default 5). */
  clockToleranceSeconds?: number
}

const ApiTokenClaimsSchema = z.object({
  sub: z.string().min(1).max(200),
  jti: z.string().min(1).max(200),
  scope: ScopeClaimSchema,
  iat: z.number().int().nonnegative(),
  exp: z.number().optional(),
})

function describeClaimProblems(error: z.ZodError): string {
  const claims = [...new Set(error.issues.map((issue) => String(issue.path[0] ?? 'payload')))]
  return `The token's claims are invalid (${claims.join(', ')})`
}

function keyResolver(components: TokenVerifierComponents): JWTVerifyGetKey {
  const keys = components.publicKeys ?? []
  const local = keys.length > 0 ? createLocalJWKSet({ keys: [...keys] }) : undefined
  const remote = components.jwksUrl
    ? remoteKeyResolver(components.jwksUrl, components.remoteJwks)
    : undefined
  const single = local ?? remote
  if (!single) throw new TypeError('createTokenVerifier needs publicKeys, a jwksUrl, or both')
  const resolve: JWTVerifyGetKey =
    local && remote
      ? async (header, token) => {
          try {
            return await local(header, token)
          } catch (error) {
            // A kid we do not hold locally may be a key the issuer added since we started.
            if (!(error instanceof errors.JWKSNoMatchingKey)) throw error
            return remote(header, token)
          }
        }
      : single
  return async (header, token) => {
    // Every Pinion token names its key; without a kid, a one-key set would silently match.
    if (typeof header.kid !== 'string')
      throw new InvalidTokenError('The token does not name its signing key (kid)')
    return resolve(header, token)
  }
}

/**
 * Creates the verifier for Pinion API tokens. It accepts only EdDSA and ES256 signatures by a key
 * it knows under the token's `kid` (so `alg: none`, HMAC with a public key as the secret, and
 * RSA/EC or EC/EdDSA substitutions all fail), then checks `iss`, `aud`, `exp` and `nbf` with a
 * small clock tolerance, and the claims' shape with zod. Revocation is checked separately.
 *
 * @throws TypeError if neither public keys nor a JWKS URL is given.
 */
export function createTokenVerifier(
  components: TokenVerifierComponents,
  init: TokenVerifierInit,
): IssuerTokenVerifier {
  const getKey = keyResolver(components)
  const checks = { ...init, algorithms: [...signingAlgorithms] }
  return {
    issuer: init.issuer,
    async verify(token): Promise<VerifiedApiToken> {
      const payload = await verifyJwtPayload(token, getKey, checks)
      const claims = ApiTokenClaimsSchema.safeParse(payload)
      if (!claims.success) throw new InvalidTokenError(describeClaimProblems(claims.error))
      const { sub, jti, scope, exp } = claims.data
      return {
        kind: 'api-token',
        userId: sub,
        tokenId: jti,
        scopes: scope,
        expiresAt: exp === undefined ? undefined : new Date(exp * 1000),
      }
    },
  }
}
