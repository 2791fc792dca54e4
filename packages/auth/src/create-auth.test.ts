import { generateKeyPairSync } from 'node:crypto'
import {
  createServiceApp,
  createServiceDeps,
  parseConfig,
  ServiceUnavailableError,
} from '@pinion/service-kit'
import { SignJWT } from 'jose'
import request from 'supertest'
import { describe, expect, it, vi } from 'vitest'
import { createMemorySource } from '../test/fixtures/memory-source.js'
import { silentLogger } from '../test/fixtures/tokens.js'
import { authSchema } from './config.js'
import { createAuth } from './create-auth.js'
import { generateSigningKey } from './signing-key.js'

const key = generateSigningKey({ kid: 'dash-1' })
const retired = generateSigningKey({ alg: 'ES256', kid: 'dash-0' })
const signingEnv = {
  AUTH_SIGNING_KEY: key.privateKeyPem,
  AUTH_SIGNING_KEY_ID: 'dash-1',
  AUTH_PUBLIC_KEYS: JSON.stringify({ keys: [retired.publicJwk] }),
  AUTH_REVOCATION_POLL_MS: '100',
}

describe('createAuth', () => {
  it('wires issuer, verifier, revocations, last use and the JWKS from config', async () => {
    const logger = silentLogger()
    const source = createMemorySource()
    const recordLastUsed = vi.fn()
    const auth = await createAuth(parseConfig(authSchema, signingEnv), {
      logger,
      revocationSource: source,
      recordLastUsed,
    })
    expect(auth.keys.publicKeys.map((jwk) => jwk.kid)).toEqual(['dash-1', 'dash-0'])
    const token = await auth.issuer!.issueApiToken({
      userId: 'u1',
      tokenId: 'row-1',
      scopes: ['upload'],
    })
    source.add('row-1')
    const deps = createServiceDeps('auth-test', logger)
    deps.startables.push(auth.revocations)
    deps.readinessChecks.push(auth.revocations.healthCheck)
    const app = createServiceApp(deps, {
      mount(server) {
        server.use(auth.jwksRouter())
        server.post('/upload', auth.requireToken('upload'), (req, res) => {
          res.status(201).json({ by: req.auth?.userId })
        })
      },
    })
    await auth.revocations.start()
    try {
      await vi.waitFor(async () => expect((await request(app).get('/readyz')).status).toBe(200))
      const created = await request(app).post('/upload').set('Authorization', `Bearer ${token}`)
      expect(created.status).toBe(201)
      expect(created.body).toEqual({ by: 'u1' })
      expect(recordLastUsed).toHaveBeenCalledWith('row-1', expect.any(Date))
      const jwks = await request(app).get('/.well-known/jwks.json')
      expect(jwks.body.keys.map((jwk: { kid: string }) => jwk.kid)).toEqual(['dash-1', 'dash-0'])
      source.revoke('row-1')
      await vi.waitFor(
        async () =>
          expect(
            (await request(app).post('/upload').set('Authorization', `Bearer ${token}`)).status,
          ).toBe(401),
        { timeout: 4500 },
      )
    } finally {
      await auth.revocations.stop()
    }
  })

  it('has no issuer where only public keys are configured', async () => {
    const auth = await createAuth(
      parseConfig(authSchema, { AUTH_PUBLIC_KEYS: JSON.stringify(key.publicJwk) }),
      { logger: silentLogger(), revocationSource: createMemorySource() },
    )
    expect(auth.issuer).toBeUndefined()
    expect(auth.lastUsed).toBeUndefined()
  })

  describe('with an OIDC provider', () => {
    const oidcEnv = {
      ...signingEnv,
      // Nothing listens there: the routing, not the provider, is under test.
      AUTH_OIDC_ISSUER: 'http://127.0.0.1:9/realm',
      AUTH_OIDC_JWKS_URL: 'http://127.0.0.1:9/realm/certs',
      AUTH_OIDC_AUDIENCE: 'pinion',
      AUTH_OIDC_GROUP_SCOPES: '{"users":["pinning"]}',
    }

    it('needs an identity resolver', async () => {
      await expect(
        createAuth(parseConfig(authSchema, oidcEnv), {
          logger: silentLogger(),
          revocationSource: createMemorySource(),
        }),
      ).rejects.toThrow(/no OIDC identity resolver/)
    })

    it('routes provider tokens to the provider and Pinion tokens to Pinion keys', async () => {
      const auth = await createAuth(parseConfig(authSchema, oidcEnv), {
        logger: silentLogger(),
        revocationSource: createMemorySource(),
        identities: { resolveUserId: async () => 'u1' },
      })
      const own = await auth.issuer!.issueApiToken({
        userId: 'u1',
        tokenId: 't',
        scopes: ['admin'],
      })
      expect((await auth.verifier.verify(own)).kind).toBe('api-token')
      const provider = await new SignJWT({})
        .setProtectedHeader({ alg: 'EdDSA', kid: 'x' })
        .setIssuer('http://127.0.0.1:9/realm')
        .sign(generateKeyPairSync('ed25519').privateKey)
      await expect(auth.verifier.verify(provider)).rejects.toBeInstanceOf(ServiceUnavailableError)
    })
  })
})
