// Where jose meets Pinion: its errors become AppErrors that say what is wrong with a token, and
// a JWKS that cannot be fetched becomes a 503 rather than a verdict on the token.
import { AppError, ServiceUnavailableError } from '@pinion/service-kit'
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import { InvalidTokenError } from './errors.js'

/** What each jose failure means to the caller; wording never includes the token. */
const claimMessages: Record<string, string> = {
  nbf: 'The token is not valid yet (nbf)',
  iss: 'The token was not issued by a trusted issuer (iss)',
  aud: 'The token is not meant for this service (aud)',
}

const codeMessages: Record<string, string> = {
  ERR_JOSE_ALG_NOT_ALLOWED: 'The token signing algorithm is not accepted',
  ERR_JOSE_NOT_SUPPORTED: 'The token signing algorithm is not supported',
  ERR_JWKS_NO_MATCHING_KEY: 'The token was not signed by a known key (kid)',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'The token does not name its signing key (kid)',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'The token signature is invalid',
  ERR_JWS_INVALID: 'The token is malformed',
  ERR_JWT_INVALID: 'The token is malformed',
}

/**
 * Maps an error from `jwtVerify` to an {@link InvalidTokenError} saying what is wrong with the
 * token. Anything else (a bug) is returned unchanged, to surface as a 500.
 */
export function fromJoseError(error: unknown): unknown {
  if (error instanceof AppError) return error
  if (error instanceof errors.JWTExpired)
    return new InvalidTokenError('The token has expired', { cause: error })
  if (error instanceof errors.JWTClaimValidationFailed)
    return new InvalidTokenError(
      claimMessages[error.claim] ?? `The token's "${error.claim}" claim is invalid`,
      { cause: error },
    )
  if (error instanceof errors.JOSEError) {
    const message = codeMessages[error.code]
    if (message) return new InvalidTokenError(message, { cause: error })
  }
  return error
}

/**
 * Wraps a remote key resolver so that failing to fetch the JWKS (timeout, network, a bad
 * document) becomes a 503: it is the server's problem, not the token's, and the client should
 * retry rather than discard a good token. "No such key" still means the token is bad.
 */
export function unavailableWhenUnreachable<A extends unknown[], R>(
  resolve: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await resolve(...args)
    } catch (error) {
      if (error instanceof errors.JOSEError && error.code in codeMessages) throw error
      throw new ServiceUnavailableError('Token signing keys cannot be fetched right now', {
        cause: error,
      })
    }
  }
}

/** The checks both verifiers ask jose for. */
export interface JwtChecks {
  /** Allow-list of `alg` values; anything else is refused before a key is looked up. */
  algorithms: string[]
  issuer: string
  audience: string
  /** Leeway for `exp` and `nbf`, in seconds (default 5). */
  clockToleranceSeconds?: number | undefined
}

/**
 * Verifies a compact JWT's signature and registered claims and returns its payload.
 *
 * @throws InvalidTokenError saying what is wrong with the token; errors of `getKey` as they are.
 */
export async function verifyJwtPayload(
  token: string,
  getKey: JWTVerifyGetKey,
  checks: JwtChecks,
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, getKey, {
      algorithms: checks.algorithms,
      issuer: checks.issuer,
      audience: checks.audience,
      clockTolerance: checks.clockToleranceSeconds ?? 5,
    })
    return payload
  } catch (error) {
    throw fromJoseError(error)
  }
}
