import { decodeJwt } from 'jose'
import { InvalidTokenError } from './errors.js'
import type { IssuerTokenVerifier, TokenVerifier } from './verified-token.js'

/**
 * Combines verifiers of different issuers: the token's (unverified) `iss` picks exactly one, which
 * then checks everything. Routing by issuer means a key of one issuer is never tried on a token
 * claiming another.
 *
 * @throws TypeError if two verifiers share an issuer.
 */
export function combineVerifiers(verifiers: readonly IssuerTokenVerifier[]): TokenVerifier {
  const byIssuer = new Map(verifiers.map((verifier) => [verifier.issuer, verifier]))
  if (byIssuer.size !== verifiers.length) throw new TypeError('two verifiers share an issuer')
  return {
    async verify(token) {
      let issuer: unknown
      try {
        issuer = decodeJwt(token).iss
      } catch (error) {
        throw new InvalidTokenError('The token is malformed', { cause: error })
      }
      const verifier = typeof issuer === 'string' ? byIssuer.get(issuer) : undefined
      if (!verifier)
        throw new InvalidTokenError('The token was not issued by a trusted issuer (iss)')
      return verifier.verify(token)
    },
  }
}
