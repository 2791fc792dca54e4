import { createPublicKey } from 'node:crypto'
import express from 'express'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serve, type Served } from '../test/fixtures/http.js'
import {
  audience,
  forgeHs256,
  issuer,
  nowSeconds,
  rsaKeyPair,
  signingKey,
} from '../test/fixtures/tokens.js'
import { InvalidTokenError } from './errors.js'
import { createTokenIssuer } from './issuer.js'
import { createOidcVerifier } from './oidc-verifier.js'
import { combineVerifiers } from './verifier-chain.js'
import { createTokenVerifier } from './verifier.js'
import type { IssuerTokenVerifier } from './verified-token.js'

const idpIssuer = 'http://idp.test/realms/pinion'
const idpAudience = 'pinion-api'
const idpKey = rsaKeyPair()
const linked = new Map([['alice-at-idp', 'user-alice']])
const identities = {
  async resolveUserId({ issuer: from, subject }: { issuer: string; subject: string }) {
    return from === idpIssuer ? linked.get(subject) : undefined
  },
}

function idpToken(claims: Record<string, unknown>, options: { exp?: boolean } = {}) {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
    .setIssuer(idpIssuer)
    .setAudience(idpAudience)
    .setSubject('alice-at-idp')
    .setIssuedAt()
  if (options.exp !== false) jwt.setExpirationTime('5m')
  return jwt.sign(idpKey.privateKey)
}

describe('createOidcVerifier', () => {
  let idp: Served
  let oidc: IssuerTokenVerifier
  beforeAll(async () => {
    const app = express()
    const jwk = { ...idpKey.publicKey.export({ format: 'jwk' }), kid: 'idp-1', alg: 'RS256' }
    app.get('/certs', (_req, res) => res.json({ keys: [jwk] }))
    idp = await serve(app)
    oidc = createOidcVerifier(
      { identities, jwksUrl: new URL(`${idp.url}/certs`) },
      {
        issuer: idpIssuer,
        audience: idpAudience,
        groupScopes: {
          'pinion-users': ['pinning', 'gateway'],
          'pinion-admins': ['admin', 'pinning'],
        },
      },
    )
  })
  afterAll(() => idp.close())

  it('maps groups to scopes and the identity to the linked Pinion user', async () => {
    const token = await idpToken({ groups: ['pinion-users', 'pinion-admins', 'unrelated'] })
    const verified = await oidc.verify(token)
    expect(verified).toMatchObject({
      kind: 'oidc',
      userId: 'user-alice',
      tokenId: undefined,
      issuer: idpIssuer,
      subject: 'alice-at-idp',
      scopes: ['pinning', 'gateway', 'admin'],
    })
    expect(verified.expiresAt!.getTime()).toBeGreaterThan(Date.now())
  })

  it('reads a nested, space-separated groups claim', async () => {
    const nested = createOidcVerifier(
      { identities, jwksUrl: new URL(`${idp.url}/certs`) },
      {
        issuer: idpIssuer,
        audience: idpAudience,
        groupsClaim: 'realm_access.roles',
        groupScopes: { uploaders: ['upload'] },
      },
    )
    const token = await idpToken({ realm_access: { roles: 'uploaders viewers' } })
    expect((await nested.verify(token)).scopes).toEqual(['upload'])
  })

  it('grants nothing for groups that only look like mappings', async () => {
    const token = await idpToken({ groups: ['__proto__', 'constructor', 'toString'] })
    expect((await oidc.verify(token)).scopes).toEqual([])
    expect((await oidc.verify(await idpToken({ groups: 42 }))).scopes).toEqual([])
  })

  it('refuses identities no Pinion user is linked to', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
      .setIssuer(idpIssuer)
      .setAudience(idpAudience)
      .setSubject('mallory')
      .setExpirationTime('5m')
      .sign(idpKey.privateKey)
    await expect(oidc.verify(token)).rejects.toThrow('No Pinion account is linked to this identity')
  })

  it('refuses HS256 keyed with the provider public key, a wrong audience, and no exp', async () => {
    const pem = createPublicKey(idpKey.privateKey).export({ format: 'pem', type: 'spki' })
    const now = nowSeconds()
    const hs = forgeHs256(
      { kid: 'idp-1' },
      { iss: idpIssuer, aud: idpAudience, sub: 'alice-at-idp', exp: now + 60 },
      pem,
    )
    await expect(oidc.verify(hs)).rejects.toThrow('The token signing algorithm is not accepted')
    const wrongAudience = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
      .setIssuer(idpIssuer)
      .setAudience('another-client')
      .setSubject('alice-at-idp')
      .setExpirationTime('5m')
      .sign(idpKey.privateKey)
    await expect(oidc.verify(wrongAudience)).rejects.toThrow('(aud)')
    await expect(oidc.verify(await idpToken({}, { exp: false }))).rejects.toThrow(
      'The token needs "sub" and "exp" claims',
    )
  })

  it('needs a key source', () => {
    expect(() =>
      createOidcVerifier({ identities }, { issuer: idpIssuer, audience: 'a', groupScopes: {} }),
    ).toThrow(TypeError)
  })

  describe('combineVerifiers', () => {
    const pinionKey = signingKey('EdDSA', 'pinion-1')
    const pinion = createTokenVerifier({ publicKeys: [pinionKey.publicJwk] }, { issuer, audience })
    const pinionToken = () =>
      createTokenIssuer({ signingKey: pinionKey }, { issuer, audience }).issueApiToken({
        userId: 'u',
        tokenId: 't',
        scopes: ['pinning'],
      })

    it('routes each token to the verifier of its issuer', async () => {
      const chain = combineVerifiers([pinion, oidc])
      expect((await chain.verify(await pinionToken())).kind).toBe('api-token')
      expect((await chain.verify(await idpToken({ groups: ['pinion-users'] }))).kind).toBe('oidc')
    })

    it('never tries one issuer’s keys on a token claiming another', async () => {
      const chain = combineVerifiers([pinion, oidc])
      // Signed with the Pinion key but claiming to come from the provider: the provider's JWKS
      // has no such key, so it fails there instead of passing with Pinion's key.
      const crossed = await new SignJWT({ groups: ['pinion-admins'] })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'pinion-1' })
        .setIssuer(idpIssuer)
        .setAudience(idpAudience)
        .setSubject('alice-at-idp')
        .setExpirationTime('5m')
        .sign(pinionKey.privateKey)
      await expect(chain.verify(crossed)).rejects.toThrow(
        new InvalidTokenError('The token was not signed by a known key (kid)'),
      )
      const unknown = await new SignJWT({})
        .setProtectedHeader({ alg: 'EdDSA', kid: 'pinion-1' })
        .setIssuer('https://elsewhere')
        .sign(pinionKey.privateKey)
      await expect(chain.verify(unknown)).rejects.toThrow('not issued by a trusted issuer')
      await expect(chain.verify('garbage')).rejects.toThrow('The token is malformed')
    })

    it('refuses two verifiers for one issuer', () => {
      expect(() => combineVerifiers([pinion, pinion])).toThrow(TypeError)
    })
  })
})
