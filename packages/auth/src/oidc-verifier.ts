import type { JWTVerifyGetKey } from 'jose'
import { z } from 'zod'
import { InvalidTokenError } from './errors.js'
import { verifyJwtPayload } from './jose-adapter.js'
import { remoteKeyResolver, type RemoteJwksOptions } from './remote-jwks.js'
import { scopes as allScopes, type Scope } from './scopes.js'
import type { IssuerTokenVerifier, VerifiedOidcToken } from './verified-token.js'

/**
 * Links a provider identity to a Pinion user (the db package implements it over the identities
 * table the dashboard fills at OIDC sign-in).
 */
export interface OidcIdentityResolver {
  /** The Pinion user id, or undefined when nobody has signed in with this identity. */
  resolveUserId(identity: { issuer: string; subject: string }): Promise<string | undefined>
}

/** The external provider and how its groups become scopes. */
export interface OidcVerifierInit {
  issuer: string
  audience: string
  /** Claim holding the groups; a dotted path reaches nested claims (`realm_access.roles`). */
  groupsClaim?: string
  /** Group → scopes; a token gets the union over its groups. */
  groupScopes: Readonly<Record<string, readonly Scope[]>>
  clockToleranceSeconds?: number
}

/** Asymmetric algorithms providers use; HMAC is never accepted, so no shared-secret confusion. */
const oidcAlgorithms = ['RS256', 'PS256', 'ES256', 'EdDSA']

const OidcClaimsSchema = z.object({ sub: z.string().min(1).max(255), exp: z.number() })

function readClaim(payload: Record<string, unknown>, path: string): unknown {
  let value: unknown = payload
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/** Groups as an array of strings or one space-separated string; anything else is no groups. */
function groupsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((group) => group.length > 0)
  if (Array.isArray(value))
    return value.filter((group): group is string => typeof group === 'string')
  return []
}

/**
 * Creates a verifier for access tokens of an external OpenID Connect provider, checked against its
 * JWKS (asymmetric algorithms only), issuer, audience and expiry. Scopes come from the groups claim
 * through `groupScopes`; the user is the Pinion account linked to the provider's `sub`, never the
 * raw `sub`, so a provider cannot name an arbitrary Pinion user. Such tokens have no Pinion token
 * id, so revocation lists do not apply: the provider's expiry bounds them.
 */
export function createOidcVerifier(
  components: {
    identities: OidcIdentityResolver
    /** Defaults to the remote JWKS at `jwksUrl`. */
    getKey?: JWTVerifyGetKey
    jwksUrl?: URL
    remoteJwks?: RemoteJwksOptions
  },
  init: OidcVerifierInit,
): IssuerTokenVerifier {
  const getKey =
    components.getKey ??
    (components.jwksUrl ? remoteKeyResolver(components.jwksUrl, components.remoteJwks) : undefined)
  if (!getKey) throw new TypeError('createOidcVerifier needs getKey or jwksUrl')
  const groupsClaim = init.groupsClaim ?? 'groups'
  const checks = { ...init, algorithms: oidcAlgorithms }
  return {
    issuer: init.issuer,
    async verify(token): Promise<VerifiedOidcToken> {
      const payload = await verifyJwtPayload(token, getKey, checks)
      const claims = OidcClaimsSchema.safeParse(payload)
      if (!claims.success)
        throw new InvalidTokenError('The token needs "sub" and "exp" claims', {
          cause: claims.error,
        })
      const granted = new Set(
        groupsOf(readClaim(payload, groupsClaim)).flatMap((group) =>
          Object.hasOwn(init.groupScopes, group) ? (init.groupScopes[group] ?? []) : [],
        ),
      )
      const subject = claims.data.sub
      const userId = await components.identities.resolveUserId({ issuer: init.issuer, subject })
      if (userId === undefined)
        throw new InvalidTokenError('No Pinion account is linked to this identity')
      return {
        kind: 'oidc',
        userId,
        tokenId: undefined,
        issuer: init.issuer,
        subject,
        scopes: allScopes.filter((scope) => granted.has(scope)),
        expiresAt: new Date(claims.data.exp * 1000),
      }
    },
  }
}
