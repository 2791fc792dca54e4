import { Router } from 'express'
import type { JwksDocument, PublicJwk } from './public-keys.js'

/**
 * Builds the JWKS document for a list of public keys, copying only the public members by name so
 * that nothing else a caller put on a key object is ever published.
 */
export function jwksDocument(keys: readonly PublicJwk[]): JwksDocument {
  return {
    keys: keys.map((key): PublicJwk => {
      const { kid, use } = key
      return key.kty === 'OKP'
        ? { kty: key.kty, crv: key.crv, x: key.x, kid, alg: 'EdDSA', use }
        : { kty: key.kty, crv: key.crv, x: key.x, y: key.y, kid, alg: 'ES256', use }
    }),
  }
}

/**
 * A router answering `GET /.well-known/jwks.json` with the public keys, for services and external
 * parties that verify tokens against a URL (`AUTH_JWKS_URL`). Only public members are ever served:
 * {@link PublicJwk} has no room for private ones.
 */
export function createJwksRouter(
  keys: readonly PublicJwk[],
  options: { maxAgeSeconds?: number } = {},
): Router {
  const body = JSON.stringify(jwksDocument(keys))
  const maxAge = options.maxAgeSeconds ?? 300
  const router = Router()
  router.get('/.well-known/jwks.json', (_req, res) => {
    // Short caching: a verifier that meets an unknown kid re-fetches anyway (jose's cooldown).
    res.setHeader('Cache-Control', `public, max-age=${maxAge}`)
    res.type('application/jwk-set+json').send(body)
  })
  return router
}
