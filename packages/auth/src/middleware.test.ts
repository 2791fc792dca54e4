import { createServiceApp, createServiceDeps } from '@pinion/service-kit'
import request from 'supertest'
import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { createMemorySource, type MemorySource } from '../test/fixtures/memory-source.js'
import {
  audience,
  claims,
  forge,
  issuer,
  nowSeconds,
  signingKey,
  silentLogger,
} from '../test/fixtures/tokens.js'
import { InsufficientScopeError, InvalidTokenError } from './errors.js'
import { createTokenIssuer } from './issuer.js'
import { createLastUsedTracker, type RecordLastUsed } from './last-used.js'
import { requireToken, tokenAuthenticator } from './middleware.js'
import { getAuth } from './request-auth.js'
import { createRevocationList } from './revocation-list.js'
import type { Scope } from './scopes.js'
import { createTokenVerifier } from './verifier.js'
import type { TokenVerifier } from './verified-token.js'

const key = signingKey('EdDSA', 'k1')
const verifier = createTokenVerifier({ publicKeys: [key.publicJwk] }, { issuer, audience })
const tokens = createTokenIssuer({ signingKey: key }, { issuer, audience })
const issue = (tokenId: string, scopes: Scope[] = ['pinning']) =>
  tokens.issueApiToken({ userId: 'user-1', tokenId, scopes })

let source: MemorySource
let record: Mock<RecordLastUsed>
let app: ReturnType<typeof createServiceApp>

function buildApp(tokenVerifier: TokenVerifier = verifier) {
  const logger = silentLogger()
  // A zero cache TTL makes every request consult the store, so tests see changes at once.
  const revocations = createRevocationList({ source, logger }, { cacheTtlMs: 0 })
  const lastUsed = createLastUsedTracker({ record, logger })
  return createServiceApp(createServiceDeps('auth-test', logger), {
    mount(server) {
      server.get(
        '/pins',
        requireToken({ verifier: tokenVerifier, revocations, scope: 'pinning', lastUsed }),
        (req, res) => {
          res.json(getAuth(req))
        },
      )
      server.get('/unguarded', (req, res) => {
        res.json(getAuth(req))
      })
    },
  })
}

beforeEach(() => {
  source = createMemorySource()
  record = vi.fn<RecordLastUsed>()
  app = buildApp()
})

/** Asserts a Pinning API failure body and returns its details and challenge. */
function failure(response: request.Response, status: number, reason: string) {
  expect(response.status).toBe(status)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.body).toEqual({ error: { reason, details: expect.any(String) } })
  expect(response.body.error.details.length).toBeGreaterThan(0)
  return {
    details: response.body.error.details as string,
    challenge: response.headers['www-authenticate'] as string | undefined,
  }
}

describe('requireToken', () => {
  it('accepts an active token with the scope and sets req.auth', async () => {
    source.add('t1')
    const response = await request(app)
      .get('/pins')
      .set('Authorization', `Bearer ${await issue('t1', ['pinning', 'upload'])}`)
    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      kind: 'api-token',
      userId: 'user-1',
      tokenId: 't1',
      scopes: ['pinning', 'upload'],
    })
  })

  it('accepts the scheme name in any case', async () => {
    source.add('t1')
    const response = await request(app)
      .get('/pins')
      .set('Authorization', `bearer   ${await issue('t1')}`)
    expect(response.status).toBe(200)
  })

  it('401 with a bare challenge when there is no bearer token', async () => {
    const missing = failure(await request(app).get('/pins'), 401, 'UNAUTHORIZED')
    expect(missing.details).toBe("Missing bearer token: send 'Authorization: Bearer <token>'")
    expect(missing.challenge).toBe('Bearer realm="pinion"')
    const basic = failure(
      await request(app).get('/pins').set('Authorization', 'Basic dXNlcjpwYXNz'),
      401,
      'UNAUTHORIZED',
    )
    expect(basic.details).toMatch(/must use the Bearer scheme/)
    expect(basic.challenge).toBe('Bearer realm="pinion"')
  })

  it.each([
    ['an empty token', 'Bearer ', 'The bearer token is empty'],
    ['a malformed token', 'Bearer not a jwt', 'The token is malformed'],
    ['an oversized token', `Bearer a.${'b'.repeat(5000)}.c`, 'The token is malformed'],
    ['a token of garbage segments', 'Bearer a.b.c', 'The token is malformed'],
  ])('401 invalid_token for %s', async (_name, header, details) => {
    const result = failure(
      await request(app).get('/pins').set('Authorization', header),
      401,
      'UNAUTHORIZED',
    )
    expect(result.details).toBe(details)
    expect(result.challenge).toBe(
      `Bearer realm="pinion", error="invalid_token", error_description="${details}"`,
    )
  })

  it('401 for a bad signature and for an expired token', async () => {
    source.add('token-1')
    const other = signingKey('EdDSA', 'k1')
    const forged = forge({ alg: 'EdDSA', kid: 'k1' }, claims(), other.privateKey)
    const bad = failure(
      await request(app).get('/pins').set('Authorization', `Bearer ${forged}`),
      401,
      'UNAUTHORIZED',
    )
    expect(bad.details).toBe('The token signature is invalid')
    const expired = forge(
      { alg: 'EdDSA', kid: 'k1' },
      claims({ exp: nowSeconds() - 60 }),
      key.privateKey,
    )
    const late = failure(
      await request(app).get('/pins').set('Authorization', `Bearer ${expired}`),
      401,
      'UNAUTHORIZED',
    )
    expect(late.challenge).toBe(
      'Bearer realm="pinion", error="invalid_token", error_description="The token has expired"',
    )
  })

  it('401 for a revoked token and for a token the store does not know', async () => {
    source.add('t1')
    const token = await issue('t1')
    expect((await request(app).get('/pins').set('Authorization', `Bearer ${token}`)).status).toBe(
      200,
    )
    source.revoke('t1')
    const revoked = failure(
      await request(app).get('/pins').set('Authorization', `Bearer ${token}`),
      401,
      'UNAUTHORIZED',
    )
    expect(revoked.details).toBe('The token has been revoked or no longer exists')
    const unknown = failure(
      await request(app)
        .get('/pins')
        .set('Authorization', `Bearer ${await issue('deleted-row')}`),
      401,
      'UNAUTHORIZED',
    )
    expect(unknown.challenge).toMatch(/error="invalid_token"/)
  })

  it('403 insufficient_scope for a valid token without the scope', async () => {
    source.add('t2')
    const result = failure(
      await request(app)
        .get('/pins')
        .set('Authorization', `Bearer ${await issue('t2', ['upload', 'gateway'])}`),
      403,
      'FORBIDDEN',
    )
    expect(result.details).toBe("This token lacks the 'pinning' scope")
    expect(result.challenge).toBe(
      'Bearer realm="pinion", error="insufficient_scope", ' +
        `error_description="This token lacks the 'pinning' scope", scope="pinning"`,
    )
  })

  it('503 when the revocation store is down: fail closed, not 401', async () => {
    source.add('t3')
    source.failWith = new Error('connection refused')
    const result = failure(
      await request(app)
        .get('/pins')
        .set('Authorization', `Bearer ${await issue('t3')}`),
      503,
      'SERVICE_UNAVAILABLE',
    )
    expect(result.details).toBe('Token revocation status cannot be checked right now')
  })

  it('reports use once per interval, and only for accepted tokens', async () => {
    source.add('t4')
    const token = await issue('t4')
    for (let i = 0; i < 3; i++)
      expect((await request(app).get('/pins').set('Authorization', `Bearer ${token}`)).status).toBe(
        200,
      )
    await request(app)
      .get('/pins')
      .set('Authorization', `Bearer ${await issue('unknown')}`)
    await vi.waitFor(() => expect(record).toHaveBeenCalledTimes(1))
    expect(record).toHaveBeenCalledWith('t4', expect.any(Date))
  })

  it('skips revocation and last use for OIDC tokens, which have no token row', async () => {
    const oidcVerifier: TokenVerifier = {
      async verify() {
        return {
          kind: 'oidc',
          userId: 'user-9',
          tokenId: undefined,
          issuer: 'https://idp',
          subject: 's',
          scopes: ['pinning'],
          expiresAt: undefined,
        }
      },
    }
    const oidcApp = buildApp(oidcVerifier)
    const response = await request(oidcApp).get('/pins').set('Authorization', 'Bearer a.b.c')
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ kind: 'oidc', userId: 'user-9' })
    expect(source.calls.isActive).toBe(0)
    expect(record).not.toHaveBeenCalled()
  })

  it('keeps the challenge header well-formed whatever the details say', async () => {
    const quoting: TokenVerifier = {
      async verify() {
        throw new InvalidTokenError('The "kid" is \\ odd\n')
      },
    }
    const response = await request(buildApp(quoting))
      .get('/pins')
      .set('Authorization', 'Bearer a.b.c')
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="pinion", error="invalid_token", error_description="The kid is  odd"',
    )
  })

  it('getAuth on a route without requireToken is a wiring bug: 500', async () => {
    const result = failure(await request(app).get('/unguarded'), 500, 'INTERNAL_SERVER_ERROR')
    expect(result.details).toMatch(/request id/)
  })
})

describe('tokenAuthenticator reusing a verification on its connection', () => {
  function setup(reuseOnConnectionMs: number | undefined) {
    const verify = vi.fn((token: string) => verifier.verify(token))
    const revocations = createRevocationList({ source, logger: silentLogger() }, { cacheTtlMs: 0 })
    const authenticate = tokenAuthenticator({
      verifier: { verify },
      revocations,
      scope: 'pinning',
      reuseOnConnectionMs,
    })
    return { verify, authenticate }
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

  it('verifies once per connection while the header stays the same', async () => {
    source.add('t1')
    source.add('t2')
    const { verify, authenticate } = setup(30_000)
    const [one, two] = [{}, {}]
    const headers = bearer(await issue('t1'))
    for (let i = 0; i < 3; i++) expect((await authenticate(headers, one)).tokenId).toBe('t1')
    expect(verify).toHaveBeenCalledTimes(1)
    await authenticate(headers, two)
    expect(verify).toHaveBeenCalledTimes(2)
    // Another token on the same connection is verified, and answers as itself.
    expect((await authenticate(bearer(await issue('t2')), one)).tokenId).toBe('t2')
    expect(verify).toHaveBeenCalledTimes(3)
    // No connection given: nothing to reuse.
    await authenticate(headers)
    await authenticate(headers)
    expect(verify).toHaveBeenCalledTimes(5)
  })

  it('still checks revocation and scope on every request', async () => {
    source.add('t1')
    const { authenticate } = setup(30_000)
    const connection = {}
    const headers = bearer(await issue('t1'))
    await authenticate(headers, connection)
    source.revoke('t1')
    await expect(authenticate(headers, connection)).rejects.toThrow(InvalidTokenError)
    source.add('t3')
    const uploadOnly = bearer(await issue('t3', ['upload']))
    for (let i = 0; i < 2; i++)
      await expect(authenticate(uploadOnly, connection)).rejects.toThrow(InsufficientScopeError)
  })

  it('never reuses a verification past the token expiry or the reuse window', async () => {
    source.add('token-1')
    const { verify, authenticate } = setup(30_000)
    const connection = {}
    const expiring = bearer(
      forge({ alg: 'EdDSA', kid: 'k1' }, claims({ exp: nowSeconds() + 1 }), key.privateKey),
    )
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] })
    try {
      await authenticate(expiring, connection)
      await authenticate(expiring, connection)
      expect(verify).toHaveBeenCalledTimes(1)
      // Past its exp the token goes back to the verifier (which applies its clock tolerance).
      vi.advanceTimersByTime(2_000)
      await authenticate(expiring, connection)
      expect(verify).toHaveBeenCalledTimes(2)
      const { verify: verifyLong, authenticate: long } = setup(1_000)
      source.add('t1')
      const headers = bearer(await issue('t1'))
      await long(headers, connection)
      await long(headers, connection)
      vi.advanceTimersByTime(1_001)
      await long(headers, connection)
      expect(verifyLong).toHaveBeenCalledTimes(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('verifies every request when reuse is off', async () => {
    source.add('t1')
    const { verify, authenticate } = setup(undefined)
    const connection = {}
    const headers = bearer(await issue('t1'))
    await authenticate(headers, connection)
    await authenticate(headers, connection)
    expect(verify).toHaveBeenCalledTimes(2)
  })
})
