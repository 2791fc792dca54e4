import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto'

/** The algorithms Pinion signs API tokens with; verification accepts exactly these. */
export const signingAlgorithms = ['EdDSA', 'ES256'] as const

/** One of {@link signingAlgorithms}: Ed25519 (EdDSA) or P-256 (ES256). */
export type SigningAlgorithm = (typeof signingAlgorithms)[number]

/**
 * A public verification key as published in the JWKS: only public members, always with `kid`,
 * `alg` and `use: "sig"` so a verifier never has to guess which algorithm a key is for.
 */
export type PublicJwk =
  | { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' }
  | { kty: 'EC'; crv: 'P-256'; x: string; y: string; kid: string; alg: 'ES256'; use: 'sig' }

/** A JSON Web Key Set document (RFC 7517 §5) of public keys. */
export interface JwksDocument {
  keys: PublicJwk[]
}

const kidPattern = /^[\w.:-]{1,128}$/

/** Checks a key id: 1–128 characters of letters, digits, `_`, `.`, `:` or `-`. */
export function isValidKid(kid: string): boolean {
  return kidPattern.test(kid)
}

/** Which algorithm a node key is for; throws TypeError for anything but Ed25519 or P-256. */
export function algorithmOf(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA'
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
    return 'ES256'
  throw new TypeError(
    `unsupported key type ${key.asymmetricKeyType ?? key.type}: use Ed25519 (EdDSA) or P-256 (ES256)`,
  )
}

/**
 * The RFC 7638 JWK thumbprint (SHA-256, base64url) of a public key: the default `kid`, stable for
 * a key wherever it is computed.
 */
export function jwkThumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' })
  // RFC 7638 §3.2: only the required members, in lexicographic order, no whitespace.
  const canonical =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : { crv: jwk.crv, kty: jwk.kty, x: jwk.x }
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url')
}

/** The published form of a public (or private: only its public half is used) node key. */
export function toPublicJwk(key: KeyObject, kid: string): PublicJwk {
  const alg = algorithmOf(key)
  const publicKey = key.type === 'private' ? createPublicKey(key) : key
  const jwk = publicKey.export({ format: 'jwk' })
  if (alg === 'EdDSA') return { kty: 'OKP', crv: 'Ed25519', x: jwk.x!, kid, alg, use: 'sig' }
  return { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, kid, alg, use: 'sig' }
}

function publicKeyFromJwk(input: unknown, index: number): PublicJwk {
  const where = `key ${index + 1}`
  if (typeof input !== 'object' || input === null) throw new TypeError(`${where} is not an object`)
  const jwk = input as JsonWebKey & { kid?: unknown; alg?: unknown; use?: unknown }
  if ('d' in jwk) throw new TypeError(`${where} contains private key material ("d")`)
  if (typeof jwk.kid !== 'string' || !isValidKid(jwk.kid))
    throw new TypeError(`${where} needs a "kid" of 1-128 characters [A-Za-z0-9_.:-]`)
  if (jwk.use !== undefined && jwk.use !== 'sig')
    throw new TypeError(`${where} ("${jwk.kid}") is not a signing key (use)`)
  let key: KeyObject
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' })
  } catch (cause) {
    throw new TypeError(`${where} ("${jwk.kid}") is not a valid public JWK`, { cause })
  }
  const published = toPublicJwk(key, jwk.kid)
  if (jwk.alg !== undefined && jwk.alg !== published.alg)
    throw new TypeError(
      `${where} ("${jwk.kid}") declares alg ${String(jwk.alg)} for a key of type ${published.alg}`,
    )
  return published
}

/**
 * Parses a JWKS (`{"keys":[…]}`) or a single public JWK from JSON. Every key must be Ed25519 or
 * P-256, carry a `kid`, and hold no private members: a JWKS with a private key in it is refused
 * rather than republished.
 *
 * @throws TypeError naming the offending key (by position and kid), never echoing key material.
 */
export function parsePublicKeys(json: string): PublicJwk[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    throw new TypeError('not valid JSON: expected a JWKS {"keys":[…]} or one JWK')
  }
  const list =
    typeof parsed === 'object' && parsed !== null && 'keys' in parsed
      ? (parsed as { keys: unknown }).keys
      : [parsed]
  if (!Array.isArray(list)) throw new TypeError('"keys" must be an array')
  return mergePublicKeys(list.map((item, index) => publicKeyFromJwk(item, index)))
}

/**
 * Merges key lists into one set: the same key listed twice is kept once, while two different keys
 * under one `kid` are an error (a verifier could not tell which one a token means).
 *
 * @throws TypeError on a `kid` shared by different keys.
 */
export function mergePublicKeys(...lists: (readonly PublicJwk[])[]): PublicJwk[] {
  const byKid = new Map<string, PublicJwk>()
  for (const key of lists.flat()) {
    const existing = byKid.get(key.kid)
    if (existing && JSON.stringify(existing) !== JSON.stringify(key))
      throw new TypeError(`two different keys share the kid "${key.kid}"`)
    byKid.set(key.kid, key)
  }
  return [...byKid.values()]
}
