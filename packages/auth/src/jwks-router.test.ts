import { ServiceUnavailableError } from '@pinion/service-kit'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serve, type Served } from '../test/fixtures/http.js'
import { audience, issuer, signingKey } from '../test/fixtures/tokens.js'
import { createTokenIssuer } from './issuer.js'
import { createJwksRouter, jwksDocument } from './jwks-router.js'
import type { PublicJwk } from './public-keys.js'
import { createTokenVerifier } from './verifier.js'

const current = signingKey('EdDSA', 'current')
const added = signingKey('ES256', 'added')
const issue = (key = current, tokenId = 't') =>
  createTokenIssuer({ signingKey: key }, { issuer, audience }).issueApiToken({
    userId: 'u',
    tokenId,
    scopes: ['pinning'],
  })

describe('JWKS endpoint', () => {
  let server: Served
  beforeAll(async () => {
    const app = express()
    app.use(createJwksRouter([current.publicJwk, added.publicJwk], { maxAgeSeconds: 60 }))
    server = await serve(app)
  })
  afterAll(() => server.close())

  it('serves the public keys, cacheable, with no private members', async () => {
    const response = await fetch(`${server.url}/.well-known/jwks.json`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/)
    expect(response.headers.get('cache-control')).toBe('public, max-age=60')
    const body = (await response.json()) as { keys: Record<string, unknown>[] }
    expect(body).toEqual({ keys: [current.publicJwk, added.publicJwk] })
    for (const key of body.keys) expect(key).not.toHaveProperty('d')
  })

  it('copies only public members even from a key object carrying more', () => {
    const smuggled = { ...current.publicJwk, d: 'secret' } as unknown as PublicJwk
    expect(jwksDocument([smuggled]).keys[0]).toEqual(current.publicJwk)
  })

  it('lets a verifier with only the URL check tokens', async () => {
    const remote = createTokenVerifier(
      { jwksUrl: new URL(`${server.url}/.well-known/jwks.json`) },
      { issuer, audience },
    )
    expect((await remote.verify(await issue(current, 'a'))).tokenId).toBe('a')
    expect((await remote.verify(await issue(added, 'b'))).tokenId).toBe('b')
  })

  it('falls back from local keys to the URL for a kid added since start', async () => {
    const both = createTokenVerifier(
      {
        publicKeys: [current.publicJwk],
        jwksUrl: new URL(`${server.url}/.well-known/jwks.json`),
      },
      { issuer, audience },
    )
    expect((await both.verify(await issue(added, 'new'))).tokenId).toBe('new')
    const stranger = signingKey('EdDSA', 'stranger')
    await expect(both.verify(await issue(stranger))).rejects.toThrow(
      'The token was not signed by a known key (kid)',
    )
  })

  it('answers 503, not 401, when the JWKS cannot be fetched', async () => {
    const unreachable = createTokenVerifier(
      { jwksUrl: new URL(`${server.url}/nothing-here.json`) },
      { issuer, audience },
    )
    await expect(unreachable.verify(await issue())).rejects.toBeInstanceOf(ServiceUnavailableError)
  })
})
