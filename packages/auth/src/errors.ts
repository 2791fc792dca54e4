import { AppError } from '@pinion/service-kit'
import type { Scope } from './scopes.js'

/**
 * The RFC 6750 §3.1 error code an authentication failure maps to. `undefined` means the request
 * carried no bearer credentials at all, for which the RFC says to send a bare challenge.
 */
export type BearerErrorCode = 'invalid_token' | 'insufficient_scope' | undefined

/** Base of every token failure: an UNAUTHORIZED or FORBIDDEN AppError with its RFC 6750 code. */
export abstract class AuthError extends AppError {
  abstract readonly bearerError: BearerErrorCode
}

/** No `Authorization: Bearer …` header (missing, or another scheme). Reason UNAUTHORIZED. */
export class MissingTokenError extends AuthError {
  readonly bearerError = undefined
  constructor(details: string) {
    super('UNAUTHORIZED', { details })
  }
}

/**
 * The bearer token cannot be accepted: malformed, wrong signature or key, wrong issuer or audience,
 * expired, not yet valid, bad claims, unknown or revoked. Reason UNAUTHORIZED; `details` says which,
 * never echoing the token.
 */
export class InvalidTokenError extends AuthError {
  readonly bearerError = 'invalid_token' as const
  constructor(details: string, options: { cause?: unknown } = {}) {
    super('UNAUTHORIZED', { details, cause: options.cause })
  }
}

/** A valid token that lacks the scope the route requires. Reason FORBIDDEN. */
export class InsufficientScopeError extends AuthError {
  readonly bearerError = 'insufficient_scope' as const
  readonly scope: Scope
  constructor(scope: Scope) {
    super('FORBIDDEN', { details: `This token lacks the '${scope}' scope` })
    this.scope = scope
  }
}
