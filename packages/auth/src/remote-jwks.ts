import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose'
import { unavailableWhenUnreachable } from './jose-adapter.js'

/** How a remote JWKS is cached. */
export interface RemoteJwksOptions {
  /** Keys are re-fetched after this long even if every kid is known, in ms (default 10 min). */
  cacheMaxAgeMs?: number
  /** An unknown kid triggers a re-fetch at most this often, in ms (default 30 s). */
  cooldownMs?: number
  /** Abort a fetch after this long, in ms (default 5 s). */
  timeoutMs?: number
}

/**
 * A key resolver over a JWKS URL (jose's `createRemoteJWKSet`: cached, re-fetched on an unknown
 * kid after a cooldown). Failing to fetch becomes a ServiceUnavailableError.
 */
export function remoteKeyResolver(url: URL, options: RemoteJwksOptions = {}): JWTVerifyGetKey {
  const jwks = createRemoteJWKSet(url, {
    cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
    cooldownDuration: options.cooldownMs ?? 30_000,
    timeoutDuration: options.timeoutMs ?? 5_000,
  })
  return unavailableWhenUnreachable(jwks)
}
