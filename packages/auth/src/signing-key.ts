import { createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto'
import {
  algorithmOf,
  isValidKid,
  jwkThumbprint,
  toPublicJwk,
  type PublicJwk,
  type SigningAlgorithm,
} from './public-keys.js'

/** A private key ready to sign API tokens, with the public half that verifiers get. */
export interface SigningKey {
  readonly kid: string
  readonly alg: SigningAlgorithm
  /** Node key object; it never prints its material. */
  readonly privateKey: KeyObject
  readonly publicJwk: PublicJwk
}

function privateKeyFromJwk(json: string): { key: KeyObject; kid: string | undefined } {
  let jwk: JsonWebKey & { kid?: unknown; alg?: unknown }
  try {
    jwk = JSON.parse(json) as typeof jwk
  } catch {
    throw new TypeError('not a PEM private key and not valid JSON (JWK)')
  }
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.d !== 'string')
    throw new TypeError('the JWK has no private part ("d"); a signing key must be private')
  let key: KeyObject
  try {
    key = createPrivateKey({ key: jwk, format: 'jwk' })
  } catch (cause) {
    throw new TypeError('the JWK is not a valid private key', { cause })
  }
  const alg = algorithmOf(key)
  if (jwk.alg !== undefined && jwk.alg !== alg)
    throw new TypeError(`the JWK declares alg ${String(jwk.alg)} for a key of type ${alg}`)
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string')
    throw new TypeError('the JWK "kid" must be a string')
  return { key, kid: jwk.kid }
}

function privateKeyFromPem(pem: string): KeyObject {
  try {
    return createPrivateKey(pem)
  } catch (cause) {
    // Covers public keys, certificates, encrypted keys and garbage alike.
    throw new TypeError('the PEM is not an unencrypted private key (PKCS#8 or SEC1)', { cause })
  }
}

/**
 * Parses signing key material: a PEM private key (PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY`)
 * or a private JWK as JSON. Only Ed25519 (→ EdDSA) and P-256 (→ ES256) are accepted. The key id is
 * `options.kid`, else the JWK's `kid`, else the key's RFC 7638 thumbprint.
 *
 * @throws TypeError with a message that names the problem and never contains key material.
 */
export function parseSigningKey(material: string, options: { kid?: string } = {}): SigningKey {
  const text = material.trim()
  const parsed = text.startsWith('-----BEGIN')
    ? { key: privateKeyFromPem(text), kid: undefined }
    : privateKeyFromJwk(text)
  const alg = algorithmOf(parsed.key)
  if (options.kid !== undefined && parsed.kid !== undefined && options.kid !== parsed.kid)
    throw new TypeError(
      `the configured kid "${options.kid}" differs from the JWK's "${parsed.kid}"`,
    )
  const kid = options.kid ?? parsed.kid ?? jwkThumbprint(parsed.key)
  if (!isValidKid(kid)) throw new TypeError('the kid must be 1-128 characters [A-Za-z0-9_.:-]')
  return { kid, alg, privateKey: parsed.key, publicJwk: toPublicJwk(parsed.key, kid) }
}

/** A freshly generated key pair in the forms an operator stores and publishes. */
export interface GeneratedSigningKey {
  readonly kid: string
  readonly alg: SigningAlgorithm
  /** PKCS#8 PEM: the value for `AUTH_SIGNING_KEY` or the file `AUTH_SIGNING_KEY_FILE` names. */
  readonly privateKeyPem: string
  /** The public key to add to `AUTH_PUBLIC_KEYS` wherever tokens are verified. */
  readonly publicJwk: PublicJwk
}

/**
 * Generates a new signing key pair (Ed25519 by default), for the local stack's first start and the
 * admin command. The kid defaults to the RFC 7638 thumbprint.
 */
export function generateSigningKey(
  options: { alg?: SigningAlgorithm; kid?: string } = {},
): GeneratedSigningKey {
  const alg = options.alg ?? 'EdDSA'
  const { privateKey } =
    alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const kid = options.kid ?? jwkThumbprint(privateKey)
  if (!isValidKid(kid)) throw new TypeError('the kid must be 1-128 characters [A-Za-z0-9_.:-]')
  return {
    kid,
    alg,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: toPublicJwk(privateKey, kid),
  }
}
