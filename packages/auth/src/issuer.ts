import { BadRequestError } from '@pinion/service-kit'
import { SignJWT } from 'jose'
import { z } from 'zod'
import { formatScopeClaim, ScopeListSchema, type Scope } from './scopes.js'
import type { SigningKey } from './signing-key.js'

/** What the dashboard (or admin CLI) asks for when a user creates a token. */
export interface IssueApiTokenInput {
  /** The owner; becomes `sub`. */
  userId: string
  /** The id of the token's database row; becomes `jti` and is what revocation refers to. */
  tokenId: string
  scopes: readonly Scope[]
  /** Optional expiry; must be in the future. Without it the token lives until revoked. */
  expiresAt?: Date | undefined
}

/** Signs API tokens with the configured key. */
export interface TokenIssuer {
  /** The kid new tokens are signed with. */
  readonly kid: string
  /**
   * Issues a compact JWS (`header.payload.signature`) with `sub`, `jti`, `scope`, `iat`, `iss`,
   * `aud`, `exp` when given, and the signing key's `kid` in the header. The caller shows it to the
   * user once and stores only `tokenId`.
   *
   * @throws BadRequestError for an empty or unknown scope list, empty ids, or a past `expiresAt`.
   */
  issueApiToken(input: IssueApiTokenInput): Promise<string>
}

/** Issuer settings: the `iss` and `aud` every token carries. */
export interface TokenIssuerInit {
  issuer: string
  audience: string
}

const IssueInputSchema = z.object({
  userId: z.string().min(1).max(200),
  tokenId: z.string().min(1).max(200),
  scopes: ScopeListSchema,
  expiresAt: z.date().optional(),
})

/** Creates a {@link TokenIssuer} over one signing key. */
export function createTokenIssuer(
  components: { signingKey: SigningKey },
  init: TokenIssuerInit,
): TokenIssuer {
  const { signingKey } = components
  return {
    kid: signingKey.kid,
    async issueApiToken(input) {
      const parsed = IssueInputSchema.safeParse(input)
      if (!parsed.success)
        throw new BadRequestError(
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        )
      const { userId, tokenId, scopes, expiresAt } = parsed.data
      const now = Math.floor(Date.now() / 1000)
      const jwt = new SignJWT({ scope: formatScopeClaim(scopes) })
        .setProtectedHeader({ alg: signingKey.alg, kid: signingKey.kid, typ: 'JWT' })
        .setSubject(userId)
        .setJti(tokenId)
        .setIssuer(init.issuer)
        .setAudience(init.audience)
        .setIssuedAt(now)
      if (expiresAt) {
        const exp = Math.floor(expiresAt.getTime() / 1000)
        if (exp <= now) throw new BadRequestError('expiresAt must be in the future')
        jwt.setExpirationTime(exp)
      }
      return jwt.sign(signingKey.privateKey)
    },
  }
}
