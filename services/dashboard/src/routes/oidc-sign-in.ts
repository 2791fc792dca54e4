import type { Logger } from '@pinion/service-kit'
import type { Request } from 'express'
import { Router } from 'express'
import * as client from 'openid-client'
import type { OidcProviderConfig } from '../config.js'
import type { ExternalProfile } from '../domain/external-sign-in.js'
import { signInOrFailure } from './sign-in-or-failure.js'

/** What the authorization request left in the session for the callback to check. */
interface PendingOidc {
  name: string
  codeVerifier: string
  state: string
  nonce: string
}

declare module 'express-session' {
  interface SessionData {
    oidc?: PendingOidc
  }
}

/** Loads a provider's discovery document (plain http only for loopback test issuers). */
export function discoverOidc(provider: OidcProviderConfig): Promise<client.Configuration> {
  const issuer = new URL(provider.issuer)
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname)
  return client.discovery(
    issuer,
    provider.clientId,
    provider.clientSecret,
    undefined,
    issuer.protocol === 'http:' && loopback
      ? { execute: [client.allowInsecureRequests] }
      : undefined,
  )
}

/**
 * `GET /auth/oidc/:name` and its callback: the authorization code flow with PKCE (S256), state and
 * nonce, all kept in the session; the ID token is checked by openid-client (signature, iss, aud,
 * nonce, expiry). Configurations are discovered once, lazily, so a provider that is down at
 * start-up does not stop the dashboard.
 */
export function oidcSignInRouter(
  deps: {
    signIn: (req: Request, profile: ExternalProfile) => Promise<void>
    logger: Logger
  },
  init: { providers: readonly OidcProviderConfig[]; callbackUrl: (name: string) => string },
): Router {
  const configs = new Map<string, Promise<client.Configuration>>()
  const configOf = (provider: OidcProviderConfig) => {
    let config = configs.get(provider.name)
    if (config === undefined) {
      config = discoverOidc(provider)
      // A failed discovery is retried on the next sign-in rather than cached forever.
      config.catch(() => configs.delete(provider.name))
      configs.set(provider.name, config)
    }
    return config
  }
  const providerOf = (name: string | undefined) => init.providers.find((p) => p.name === name)

  const router = Router()
  router.get('/auth/oidc/:name', async (req, res) => {
    const provider = providerOf(req.params.name)
    if (provider === undefined) return res.redirect('/?signin=failed')
    let config: client.Configuration
    try {
      config = await configOf(provider)
    } catch (error) {
      // The provider is down or misconfigured: back to the sign-in page, not a JSON error.
      deps.logger.warn({ err: error, provider: provider.name }, 'OIDC discovery failed')
      return res.redirect('/?signin=failed')
    }
    const pending: PendingOidc = {
      name: provider.name,
      codeVerifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: client.randomNonce(),
    }
    req.session.oidc = pending
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: init.callbackUrl(provider.name),
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    })
    res.redirect(url.href)
  })
  router.get('/auth/oidc/:name/callback', async (req, res) => {
    const provider = providerOf(req.params.name)
    const pending = req.session.oidc
    delete req.session.oidc
    if (provider === undefined || pending === undefined || pending.name !== provider.name)
      return res.redirect('/?signin=failed')
    const config = await configOf(provider)
    const current = new URL(req.originalUrl, init.callbackUrl(provider.name))
    let claims: Record<string, unknown> & { sub: string }
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      })
      const idToken = tokens.claims()
      if (idToken === undefined) return res.redirect('/?signin=failed')
      claims = idToken
      // Many providers keep e-mail and profile out of the ID token; the UserInfo endpoint has
      // them (openid-client checks that its `sub` is the ID token's).
      if (claims.email === undefined && config.serverMetadata().userinfo_endpoint !== undefined)
        claims = {
          ...(await client.fetchUserInfo(config, tokens.access_token, idToken.sub)),
          ...claims,
        }
    } catch {
      return res.redirect('/?signin=failed')
    }
    // The discovered issuer, exactly as tokens carry it in `iss` (the auth package's OIDC
    // verifier looks identities up by `oidc:<iss>`).
    const issuer = config.serverMetadata().issuer
    const signedIn = await signInOrFailure(deps.signIn, req, {
      provider: `oidc:${issuer}`,
      subject: claims.sub,
      email: typeof claims.email === 'string' ? claims.email : undefined,
      emailVerified: claims.email_verified === true,
      displayName: typeof claims.name === 'string' ? claims.name : undefined,
      profile: { issuer },
    })
    res.redirect(signedIn ? '/' : '/?signin=failed')
  })
  return router
}
