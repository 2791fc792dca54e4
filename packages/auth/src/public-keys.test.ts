import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { mergePublicKeys, parsePublicKeys } from './public-keys.js'
import { generateSigningKey } from './signing-key.js'

describe('parsePublicKeys', () => {
  const ed = generateSigningKey({ alg: 'EdDSA', kid: 'ed-1' })
  const ec = generateSigningKey({ alg: 'ES256', kid: 'ec-1' })

  it('reads a JWKS with Ed25519 and P-256 keys, and a single JWK', () => {
    const keys = parsePublicKeys(JSON.stringify({ keys: [ed.publicJwk, ec.publicJwk] }))
    expect(keys).toEqual([ed.publicJwk, ec.publicJwk])
    expect(parsePublicKeys(JSON.stringify(ed.publicJwk))).toEqual([ed.publicJwk])
  })

  it('fills in alg and use for keys that omit them, and drops unknown members', () => {
    const { kty, crv, x, kid } = ed.publicJwk
    const [key] = parsePublicKeys(JSON.stringify({ keys: [{ kty, crv, x, kid, x5t: 'junk' }] }))
    expect(key).toEqual(ed.publicJwk)
  })

  it('refuses a JWKS that carries private key material', () => {
    const { privateKey } = generateKeyPairSync('ed25519')
    const leaked = { ...privateKey.export({ format: 'jwk' }), kid: 'oops' }
    expect(() => parsePublicKeys(JSON.stringify({ keys: [leaked] }))).toThrow(
      /key 1 contains private key material/,
    )
  })

  it('refuses keys without kid, RSA keys, encryption keys and lying alg', () => {
    const { kty, crv, x } = ed.publicJwk
    expect(() => parsePublicKeys(JSON.stringify({ kty, crv, x }))).toThrow(/needs a "kid"/)
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey
    const rsaJwk = { ...rsa.export({ format: 'jwk' }), kid: 'r' }
    expect(() => parsePublicKeys(JSON.stringify(rsaJwk))).toThrow(/unsupported key type rsa/)
    expect(() => parsePublicKeys(JSON.stringify({ ...ed.publicJwk, use: 'enc' }))).toThrow(
      /not a signing key/,
    )
    expect(() => parsePublicKeys(JSON.stringify({ ...ed.publicJwk, alg: 'ES256' }))).toThrow(
      /declares alg ES256/,
    )
    expect(() => parsePublicKeys(JSON.stringify({ ...ed.publicJwk, x: 'AAAA' }))).toThrow(
      /not a valid public JWK/,
    )
  })

  it('refuses invalid JSON and a non-array "keys"', () => {
    expect(() => parsePublicKeys('{')).toThrow(/not valid JSON/)
    expect(() => parsePublicKeys('{"keys":{}}')).toThrow(/must be an array/)
  })

  it('merges duplicates of one key but refuses two keys under one kid', () => {
    expect(mergePublicKeys([ed.publicJwk], [ed.publicJwk, ec.publicJwk])).toEqual([
      ed.publicJwk,
      ec.publicJwk,
    ])
    const impostor = generateSigningKey({ kid: 'ed-1' }).publicJwk
    expect(() => mergePublicKeys([ed.publicJwk], [impostor])).toThrow(/share the kid "ed-1"/)
  })
})
