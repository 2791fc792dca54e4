import { createPublicKey } from 'node:crypto'
import { BadRequestError } from '@pinion/service-kit'
import { base64url, decodeJwt, decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  audience,
  claims,
  forge,
  forgeHs256,
  issuer,
  nowSeconds,
  rsaKeyPair,
  signingKey,
} from '../test/fixtures/tokens.js'
import { InvalidTokenError } from './errors.js'
import { createTokenIssuer } from './issuer.js'
import { createTokenVerifier } from './verifier.js'

const ed = signingKey('EdDSA', 'ed-1')
const ec = signingKey('ES256', 'ec-1')
const stranger = signingKey('EdDSA', 'ed-1')
const verifier = createTokenVerifier(
  { publicKeys: [ed.publicJwk, ec.publicJwk] },
  { issuer, audience, clockToleranceSeconds: 5 },
)
const edIssuer = createTokenIssuer({ signingKey: ed }, { issuer, audience })

/** The InvalidTokenError details a token is rejected with. */
async function rejection(token: string): Promise<string> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(InvalidTokenError)
  return (error as InvalidTokenError).details ?? ''
}

describe('issueApiToken → verify', () => {
  it.each([
    ['EdDSA', ed],
    ['ES256', ec],
  ] as const)('round-trips a %s token with exactly the documented claims', async (alg, key) => {
    const tokens = createTokenIssuer({ signingKey: key }, { issuer, audience })
    const token = await tokens.issueApiToken({
      userId: 'user-7',
      tokenId: 'tok-7',
      scopes: ['upload', 'pinning'],
    })
    expect(decodeProtectedHeader(token)).toEqual({ alg, kid: key.kid, typ: 'JWT' })
    const payload = decodeJwt(token)
    expect(Object.keys(payload).sort()).toEqual(['aud', 'iat', 'iss', 'jti', 'scope', 'sub'])
    expect(payload.scope).toBe('pinning upload')
    expect(await verifier.verify(token)).toEqual({
      kind: 'api-token',
      userId: 'user-7',
      tokenId: 'tok-7',
      scopes: ['pinning', 'upload'],
      expiresAt: undefined,
    })
  })

  it('sets exp from expiresAt and reports it', async () => {
    const expiresAt = new Date((nowSeconds() + 3600) * 1000)
    const token = await edIssuer.issueApiToken({
      userId: 'u',
      tokenId: 't',
      scopes: ['gateway'],
      expiresAt,
    })
    expect(decodeJwt(token).exp).toBe(expiresAt.getTime() / 1000)
    expect((await verifier.verify(token)).expiresAt).toEqual(expiresAt)
  })

  it('refuses to issue with no scope, an unknown scope, empty ids or a past expiry', async () => {
    const base = { userId: 'u', tokenId: 't' }
    const attempts = [
      { ...base, scopes: [] },
      { ...base, scopes: ['root'] as never },
      { ...base, scopes: ['pinning', 'pinning'] as const },
      { userId: '', tokenId: 't', scopes: ['pinning'] as const },
      { ...base, scopes: ['pinning'] as const, expiresAt: new Date(Date.now() - 1000) },
    ]
    for (const attempt of attempts)
      await expect(edIssuer.issueApiToken(attempt)).rejects.toBeInstanceOf(BadRequestError)
  })
})

describe('verify rejects', () => {
  const header = { alg: 'EdDSA', kid: 'ed-1', typ: 'JWT' }

  it('alg "none" (unsecured JWT)', async () => {
    const token = `${base64url.encode(JSON.stringify({ alg: 'none' }))}.${base64url.encode(JSON.stringify(claims()))}.`
    expect(await rejection(token)).toBe('The token signing algorithm is not accepted')
  })

  it('HS256 keyed with the public key (PEM and raw bytes)', async () => {
    const publicKey = createPublicKey(ed.privateKey)
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString()
    const raw = Buffer.from(ed.publicJwk.x, 'base64url')
    for (const secret of [pem, raw]) {
      const token = forgeHs256(header, claims(), secret)
      expect(await rejection(token)).toBe('The token signing algorithm is not accepted')
    }
  })

  it('an RS256 token, even under a trusted kid', async () => {
    const token = forge({ ...header, alg: 'RS256' }, claims(), rsaKeyPair().privateKey)
    expect(await rejection(token)).toBe('The token signing algorithm is not accepted')
  })

  it('ES256 claimed for the EdDSA key, and EdDSA claimed for the ES256 key', async () => {
    const es = forge({ alg: 'ES256', kid: 'ed-1' }, claims(), ec.privateKey)
    expect(await rejection(es)).toBe('The token was not signed by a known key (kid)')
    const eddsa = forge({ alg: 'EdDSA', kid: 'ec-1' }, claims(), ed.privateKey)
    expect(await rejection(eddsa)).toBe('The token was not signed by a known key (kid)')
  })

  it('an unknown kid, and no kid at all', async () => {
    const token = forge({ ...header, kid: 'ed-2' }, claims(), ed.privateKey)
    expect(await rejection(token)).toBe('The token was not signed by a known key (kid)')
    const anonymous = forge({ alg: 'EdDSA' }, claims(), ed.privateKey)
    expect(await rejection(anonymous)).toBe('The token does not name its signing key (kid)')
  })

  it('a token signed by another key under a trusted kid', async () => {
    const token = forge(header, claims(), stranger.privateKey)
    expect(await rejection(token)).toBe('The token signature is invalid')
  })

  it('an expired token beyond the clock tolerance, but not within it', async () => {
    const expired = forge(header, claims({ exp: nowSeconds() - 60 }), ed.privateKey)
    expect(await rejection(expired)).toBe('The token has expired')
    const justExpired = forge(header, claims({ exp: nowSeconds() - 2 }), ed.privateKey)
    expect((await verifier.verify(justExpired)).userId).toBe('user-1')
  })

  it('nbf in the future', async () => {
    const token = forge(header, claims({ nbf: nowSeconds() + 120 }), ed.privateKey)
    expect(await rejection(token)).toBe('The token is not valid yet (nbf)')
  })

  it('a wrong or missing iss, and a wrong aud', async () => {
    const wrongIss = forge(header, claims({ iss: 'someone-else' }), ed.privateKey)
    expect(await rejection(wrongIss)).toBe('The token was not issued by a trusted issuer (iss)')
    const noIss = forge(header, claims({ iss: undefined }), ed.privateKey)
    expect(await rejection(noIss)).toBe('The token was not issued by a trusted issuer (iss)')
    const wrongAud = forge(header, claims({ aud: 'another-api' }), ed.privateKey)
    expect(await rejection(wrongAud)).toBe('The token is not meant for this service (aud)')
  })

  it.each([
    ['missing', { scope: undefined }],
    ['empty', { scope: '' }],
    ['unknown', { scope: 'pinning root' }],
    ['repeated', { scope: 'pinning pinning' }],
    ['an array', { scope: ['pinning'] }],
    ['garbage', { scope: '\u0000;DROP' }],
  ])('a %s scope', async (_name, override) => {
    const token = forge(header, claims(override), ed.privateKey)
    expect(await rejection(token)).toBe("The token's claims are invalid (scope)")
  })

  it('missing sub, jti or iat', async () => {
    const token = forge(header, claims({ sub: undefined, jti: '', iat: undefined }), ed.privateKey)
    expect(await rejection(token)).toBe("The token's claims are invalid (sub, jti, iat)")
  })

  it('a tampered payload that keeps the original signature', async () => {
    const token = await edIssuer.issueApiToken({ userId: 'u', tokenId: 't', scopes: ['gateway'] })
    const [head, , signature] = token.split('.')
    const payload = base64url.encode(JSON.stringify({ ...decodeJwt(token), scope: 'admin' }))
    expect(await rejection(`${head}.${payload}.${signature}`)).toBe(
      'The token signature is invalid',
    )
  })

  it('truncated tokens and garbage', async () => {
    const token = await edIssuer.issueApiToken({ userId: 'u', tokenId: 't', scopes: ['gateway'] })
    expect(await rejection(token.slice(0, -4))).toBe('The token signature is invalid')
    expect(await rejection(token.split('.').slice(0, 2).join('.'))).toBe('The token is malformed')
    expect(await rejection('not-a-jwt')).toBe('The token is malformed')
    expect(await rejection('a.b.c')).toBe('The token is malformed')
  })
})

describe('key rotation', () => {
  it('verifies tokens of every listed key and stops once a key is dropped', async () => {
    const old = signingKey('EdDSA', '2025')
    const next = signingKey('ES256', '2026')
    const oldToken = await createTokenIssuer(
      { signingKey: old },
      { issuer, audience },
    ).issueApiToken({ userId: 'u', tokenId: 'old', scopes: ['pinning'] })
    const newToken = await createTokenIssuer(
      { signingKey: next },
      { issuer, audience },
    ).issueApiToken({ userId: 'u', tokenId: 'new', scopes: ['pinning'] })
    const during = createTokenVerifier(
      { publicKeys: [next.publicJwk, old.publicJwk] },
      { issuer, audience },
    )
    expect((await during.verify(oldToken)).tokenId).toBe('old')
    expect((await during.verify(newToken)).tokenId).toBe('new')
    const after = createTokenVerifier({ publicKeys: [next.publicJwk] }, { issuer, audience })
    await expect(after.verify(oldToken)).rejects.toThrow(
      'The token was not signed by a known key (kid)',
    )
    expect((await after.verify(newToken)).tokenId).toBe('new')
  })

  it('needs some key source', () => {
    expect(() => createTokenVerifier({}, { issuer, audience })).toThrow(TypeError)
  })
})
