import { writeFailure } from '@pinion/service-kit'
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import type { RequestHandler } from 'express'
import {
  AuthError,
  InsufficientScopeError,
  InvalidTokenError,
  MissingTokenError,
} from './errors.js'
import type { LastUsedTracker } from './last-used.js'
import type { RevocationList } from './revocation-list.js'
import type { Scope } from './scopes.js'
import type { TokenVerifier, VerifiedToken } from './verified-token.js'

/** What {@link requireToken} checks a request with. */
export interface RequireTokenOptions {
  verifier: TokenVerifier
  revocations: Pick<RevocationList, 'assertActive'>
  /** The scope the routes behind this middleware need. */
  scope: Scope
  /** Told about each accepted API token; it debounces the writes. */
  lastUsed?: LastUsedTracker | undefined
  /**
   * Reuse a verification for this long on the keep-alive connection it was made on, while the
   * header stays the same (see `connectionMemo`); callers pass the connection (`req.socket`).
   * Unset: every request is verified (through `verifier`, which may cache by itself).
   */
  reuseOnConnectionMs?: number | undefined
  /** `realm` of the WWW-Authenticate challenge (default "pinion"). */
  realm?: string
}

/** Compact JWS characters (base64url and dots); anything else is not one of our tokens. */
const tokenPattern = /^[\w-]+\.[\w-]+\.[\w-]*$/
const maxTokenLength = 4096

function bearerToken(headers: IncomingHttpHeaders): string {
  const header = headers.authorization?.trim()
  if (!header)
    throw new MissingTokenError("Missing bearer token: send 'Authorization: Bearer <token>'")
  const [scheme = '', ...rest] = header.split(/\s+/)
  // RFC 7235: the scheme name is case-insensitive.
  if (scheme.toLowerCase() !== 'bearer')
    throw new MissingTokenError(
      "The Authorization header must use the Bearer scheme: 'Bearer <token>'",
    )
  const token = rest.join(' ')
  if (token.length === 0) throw new InvalidTokenError('The bearer token is empty')
  if (token.length > maxTokenLength || !tokenPattern.test(token))
    throw new InvalidTokenError('The token is malformed')
  return token
}

/** RFC 6750 §3: quoted values may not contain `"` or `\` or anything outside printable ASCII. */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '')}"`
}

function challenge(realm: string, error: AuthError): string {
  const params = [`realm=${quoted(realm)}`]
  // A request without credentials gets a bare challenge (RFC 6750 §3.1).
  if (error.bearerError) {
    params.push(`error=${quoted(error.bearerError)}`)
    if (error.details) params.push(`error_description=${quoted(error.details)}`)
  }
  if (error instanceof InsufficientScopeError) params.push(`scope=${quoted(error.scope)}`)
  return `Bearer ${params.join(', ')}`
}

/**
 * Checks a request's bearer token without any framework: reads `Authorization: Bearer <jwt>`,
 * verifies it, checks revocation (API tokens only; OIDC tokens expire instead) and the scope, and
 * reports the use to `lastUsed`. {@link requireToken} is this plus the error responses; a handler
 * that runs on the raw `node:http` request (the gateway's hot path) calls it directly.
 *
 * @returns a function resolving to the verified token.
 * @throws (from the returned function) AuthError subclasses: MissingTokenError,
 *   InvalidTokenError (401), InsufficientScopeError (403); ServiceUnavailableError when the
 *   revocation store or a remote JWKS cannot be asked.
 */
export function tokenAuthenticator(
  options: Omit<RequireTokenOptions, 'realm'>,
): (headers: IncomingHttpHeaders, connection?: object) => Promise<VerifiedToken> {
  const verify = connectionMemo(options)
  return async (headers, connection) => {
    const verified = await verify(headers, connection)
    if (verified.kind === 'api-token') {
      await options.revocations.assertActive(verified.tokenId)
      options.lastUsed?.touch(verified.tokenId)
    }
    if (!verified.scopes.includes(options.scope)) throw new InsufficientScopeError(options.scope)
    return verified
  }
}

/** The last verification on one connection: its exact `Authorization` header and until when. */
interface ConnectionMemo {
  readonly authorization: string
  readonly token: VerifiedToken
  readonly until: number
}

/**
 * Verifies the request's bearer token, reusing, when `reuseOnConnectionMs` is set, the last
 * verification on the same keep-alive connection while its `Authorization` header is the same
 * string: a client sends one token with every request on a connection, and this skips parsing
 * it and hashing it for the verification cache. The memo lives only as long as the connection
 * (a WeakMap) and never past the token's expiry; revocation and scope are still checked by the
 * caller on every request.
 */
function connectionMemo(
  options: Pick<RequireTokenOptions, 'verifier' | 'reuseOnConnectionMs'>,
): (headers: IncomingHttpHeaders, connection?: object) => Promise<VerifiedToken> {
  const { verifier, reuseOnConnectionMs } = options
  const verify = (headers: IncomingHttpHeaders) => verifier.verify(bearerToken(headers))
  if (reuseOnConnectionMs === undefined) return verify
  const memos = new WeakMap<object, ConnectionMemo>()
  return async (headers, connection) => {
    const authorization = headers.authorization
    if (connection === undefined || authorization === undefined) return verify(headers)
    const now = Date.now()
    const memo = memos.get(connection)
    if (memo !== undefined && memo.authorization === authorization && memo.until > now)
      return memo.token
    const token = await verify(headers)
    const expiry = token.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY
    memos.set(connection, {
      authorization,
      token,
      until: Math.min(now + reuseOnConnectionMs, expiry),
    })
    return token
  }
}

/**
 * Answers an authentication failure on any `node:http` response: 401 or 403 in the Pinning API
 * error format with its `WWW-Authenticate: Bearer` challenge (RFC 6750 §3), `headers` (names and
 * values in turn) first. `requireToken` answers through it, and so do fast routes in front of
 * Express.
 */
export function writeAuthFailure(
  res: ServerResponse,
  error: AuthError,
  realm = 'pinion',
  headers: readonly string[] = [],
): void {
  writeFailure(res, error.reason, error.details, [
    ...headers,
    'WWW-Authenticate',
    challenge(realm, error),
  ])
}

/**
 * Express middleware for routes that need an API token with `scope`. It reads
 * `Authorization: Bearer <jwt>`, verifies it, checks revocation (API tokens only; OIDC tokens
 * expire instead), checks the scope, sets `req.auth`, and reports the use to `lastUsed`.
 *
 * Failures answer in the Pinning API error format with a `WWW-Authenticate: Bearer` challenge:
 * 401 UNAUTHORIZED for a missing, malformed, badly signed, expired, unknown or revoked token, 403
 * FORBIDDEN for a valid token without the scope. A store that cannot be asked passes a
 * ServiceUnavailableError to the error middleware (503).
 */
export function requireToken(options: RequireTokenOptions): RequestHandler {
  const realm = options.realm ?? 'pinion'
  const authenticate = tokenAuthenticator(options)
  return async (req, res, next) => {
    try {
      req.auth = await authenticate(req.headers, req.socket)
    } catch (error) {
      if (!(error instanceof AuthError)) return next(error)
      return writeAuthFailure(res, error, realm)
    }
    next()
  }
}
