import { generateKeyPairSync } from 'node:crypto'
import { calculateJwkThumbprint } from 'jose'
import { describe, expect, it } from 'vitest'
import { generateSigningKey, parseSigningKey } from './signing-key.js'

describe('generateSigningKey / parseSigningKey', () => {
  it.each(['EdDSA', 'ES256'] as const)(
    'round-trips a generated %s key through PEM',
    async (alg) => {
      const generated = generateSigningKey({ alg })
      expect(generated.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/)
      const parsed = parseSigningKey(generated.privateKeyPem)
      expect(parsed.alg).toBe(alg)
      expect(parsed.kid).toBe(generated.kid)
      expect(parsed.publicJwk).toEqual(generated.publicJwk)
      expect(parsed.publicJwk).not.toHaveProperty('d')
      // The default kid is the RFC 7638 thumbprint, computed the same way jose does.
      expect(parsed.kid).toBe(await calculateJwkThumbprint(parsed.publicJwk))
    },
  )

  it('reads a private JWK and keeps its kid', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'ops-2026', alg: 'ES256' }
    const parsed = parseSigningKey(JSON.stringify(jwk))
    expect(parsed).toMatchObject({ kid: 'ops-2026', alg: 'ES256' })
    expect(parsed.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'ops-2026', use: 'sig' })
  })

  it('reads a SEC1 "EC PRIVATE KEY" PEM and uses a configured kid', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const pem = privateKey.export({ format: 'pem', type: 'sec1' }).toString()
    expect(parseSigningKey(pem, { kid: 'k-1' })).toMatchObject({ kid: 'k-1', alg: 'ES256' })
  })

  it('refuses a JWK whose kid contradicts the configured one, or whose alg lies', () => {
    const { privateKey } = generateKeyPairSync('ed25519')
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'a' }
    expect(() => parseSigningKey(JSON.stringify(jwk), { kid: 'b' })).toThrow(/differs/)
    const lying = { ...privateKey.export({ format: 'jwk' }), alg: 'ES256' }
    expect(() => parseSigningKey(JSON.stringify(lying))).toThrow(/declares alg ES256/)
  })

  it('refuses RSA, P-384, public keys, public JWKs and garbage, without echoing them', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const rsaPem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    expect(() => parseSigningKey(rsaPem)).toThrow(/unsupported key type rsa/)
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey
    expect(() => parseSigningKey(p384.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(
      /unsupported key type ec/,
    )
    const ed = generateKeyPairSync('ed25519')
    const publicPem = ed.publicKey.export({ format: 'pem', type: 'spki' }).toString()
    expect(() => parseSigningKey(publicPem)).toThrow(/not an unencrypted private key/)
    const publicJwk = JSON.stringify(ed.publicKey.export({ format: 'jwk' }))
    expect(() => parseSigningKey(publicJwk)).toThrow(/no private part/)
    const secret = 'hunter2-not-a-key'
    let message = ''
    try {
      parseSigningKey(secret)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/not a PEM private key and not valid JSON/)
    expect(message).not.toContain(secret)
  })

  it('refuses a kid with characters that would need escaping', () => {
    expect(() => generateSigningKey({ kid: 'a b' })).toThrow(/kid/)
    expect(() => parseSigningKey(generateSigningKey().privateKeyPem, { kid: '"x"' })).toThrow(/kid/)
  })
})
