import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { audience, issuer, signingKey } from '../test/fixtures/tokens.js'
import { InvalidTokenError } from './errors.js'
import { createTokenIssuer } from './issuer.js'
import { cachingVerifier } from './token-cache.js'
import type { TokenVerifier } from './verified-token.js'
import { createTokenVerifier } from './verifier.js'

const key = signingKey('EdDSA', 'ed-1')
const tokens = createTokenIssuer({ signingKey: key }, { issuer, audience })

/** The real verifier, counting how often it is asked. */
function countingVerifier(): TokenVerifier & { calls: number } {
  const real = createTokenVerifier(
    { publicKeys: [key.publicJwk] },
    { issuer, audience, clockToleranceSeconds: 0 },
  )
  const counting = {
    calls: 0,
    verify(token: string) {
      counting.calls += 1
      return real.verify(token)
    },
  }
  return counting
}

const token = () =>
  tokens.issueApiToken({ userId: randomUUID(), tokenId: randomUUID(), scopes: ['pinning'] })

describe('cachingVerifier', () => {
  it('verifies a token once and answers the same claims after that', async () => {
    const inner = countingVerifier()
    const cached = cachingVerifier(inner, { ttlMs: 60_000, maxEntries: 10 })
    const jwt = await token()
    const first = await cached.verify(jwt)
    const second = await cached.verify(jwt)
    expect(second).toEqual(first)
    expect(inner.calls).toBe(1)
  })

  it('never caches a failure', async () => {
    const inner = countingVerifier()
    const cached = cachingVerifier(inner, { ttlMs: 60_000, maxEntries: 10 })
    const jwt = `${await token()}x`
    await expect(cached.verify(jwt)).rejects.toBeInstanceOf(InvalidTokenError)
    await expect(cached.verify(jwt)).rejects.toBeInstanceOf(InvalidTokenError)
    expect(inner.calls).toBe(2)
  })

  it('forgets the oldest token beyond maxEntries', async () => {
    const inner = countingVerifier()
    const cached = cachingVerifier(inner, { ttlMs: 60_000, maxEntries: 2 })
    const [a, b, c] = await Promise.all([token(), token(), token()])
    for (const jwt of [a, b, c, c, b]) await cached.verify(jwt)
    expect(inner.calls).toBe(3)
    await cached.verify(a)
    expect(inner.calls).toBe(4)
  })

  it('verifies again once the reuse time is over', async () => {
    const inner = countingVerifier()
    const cached = cachingVerifier(inner, { ttlMs: 0, maxEntries: 10 })
    const jwt = await token()
    await cached.verify(jwt)
    await cached.verify(jwt)
    expect(inner.calls).toBe(2)
  })
})
