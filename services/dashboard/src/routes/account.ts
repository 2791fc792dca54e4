import type { Auth } from '@pinion/auth'
import type { Database } from '@pinion/db'
import type { AttachedMessaging } from '@pinion/platform'
import type { Logger } from '@pinion/service-kit'
import type { Pins } from '@pinion/pins'
import type { Sessions } from '@pinion/sessions'
import { Router, type Request } from 'express'
import type { Config } from '../config.js'
import { createAttemptLimiter } from '../domain/attempt-limiter.js'
import { resolveExternalUser, type ExternalProfile } from '../domain/external-sign-in.js'
import { accountAuthRouter, type ProviderLink } from './account-auth.js'
import { gitHubSignInRouter } from './github-sign-in.js'
import { oidcSignInRouter } from './oidc-sign-in.js'
import { openApiDocument } from '../openapi.js'
import { gitHubRouter } from './github.js'
import { pinEventsRouter } from './pin-events.js'
import { pinsRouter } from './pins.js'
import { tokensRouter } from './tokens.js'
import { usageRouter } from './usage.js'
import type { PinEventHub } from '../domain/pin-events.js'

/** Prefix of the account API. */
export const accountPrefix = '/api/account'

export interface AccountDeps {
  config: Config
  database: Database
  messaging: AttachedMessaging['messaging']
  auth: Auth
  sessions: Sessions
  pinEvents: PinEventHub
  pins: Pins
  logger: Logger
}

function providerLinks(config: Config): ProviderLink[] {
  const links: ProviderLink[] = []
  if (config.GITHUB_CLIENT_ID !== undefined)
    links.push({ id: 'github', label: 'GitHub', url: `${accountPrefix}/auth/github` })
  for (const provider of config.OIDC_PROVIDERS)
    links.push({
      id: `oidc:${provider.name}`,
      label: provider.label,
      url: `${accountPrefix}/auth/oidc/${provider.name}`,
    })
  return links
}

/**
 * The account API under `/api/account`: every route reads the session, every state-changing one
 * needs the CSRF token, and everything but sign-in/up and the session itself needs a user.
 */
export function accountRouter(deps: AccountDeps): Router {
  const { config, sessions } = deps
  const prisma = deps.database.prisma
  const publicUrl = config.PUBLIC_URL.replace(/\/$/, '')
  const externalSignIn =
    (allowNewAccounts: boolean) => async (req: Request, profile: ExternalProfile) => {
      const user = await resolveExternalUser(prisma, { allowNewAccounts }, profile)
      await sessions.signIn(req, user.id)
    }

  const open = Router()
  open.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument)
  })
  open.use(
    accountAuthRouter({
      prisma,
      sessions,
      signInLimiter: createAttemptLimiter(prisma, {
        purpose: 'signin',
        maxAttempts: config.SIGNIN_MAX_ATTEMPTS,
        windowMs: config.SIGNIN_WINDOW_S * 1000,
      }),
      signUpLimiter: createAttemptLimiter(prisma, {
        purpose: 'signup',
        maxAttempts: config.SIGNUP_MAX_PER_ADDRESS,
        windowMs: config.SIGNUP_WINDOW_S * 1000,
      }),
      signUpOpen: config.SIGNUP_OPEN,
      providers: providerLinks(config),
    }),
  )
  if (config.GITHUB_CLIENT_ID !== undefined && config.GITHUB_CLIENT_SECRET !== undefined)
    open.use(
      // Anyone with a GitHub account could sign up, so closed sign-up closes this door too.
      gitHubSignInRouter(
        { signIn: externalSignIn(config.SIGNUP_OPEN) },
        {
          clientId: config.GITHUB_CLIENT_ID,
          clientSecret: config.GITHUB_CLIENT_SECRET,
          oauthUrl: config.GITHUB_WEB_URL,
          apiUrl: config.GITHUB_API_URL,
          callbackUrl: `${publicUrl}${accountPrefix}/auth/github/callback`,
        },
      ),
    )
  if (config.OIDC_PROVIDERS.length > 0)
    open.use(
      // The operator's own identity provider decides who may enter: its users get accounts.
      oidcSignInRouter(
        { signIn: externalSignIn(true), logger: deps.logger },
        {
          providers: config.OIDC_PROVIDERS,
          callbackUrl: (name) => `${publicUrl}${accountPrefix}/auth/oidc/${name}/callback`,
        },
      ),
    )

  const signedIn = Router()
  signedIn.use(sessions.requireSession)
  signedIn.use(
    tokensRouter({
      prisma,
      issuer: deps.auth.issuer,
      messaging: deps.messaging,
      logger: deps.logger,
    }),
  )

  signedIn.use(
    gitHubRouter(
      { prisma, messaging: deps.messaging },
      {
        installUrl:
          config.GITHUB_APP_SLUG === undefined
            ? null
            : `${config.GITHUB_WEB_URL.replace(/\/$/, '')}/apps/${config.GITHUB_APP_SLUG}/installations/new`,
      },
    ),
  )
  signedIn.use(
    usageRouter(prisma, { defaultGatewayLimit: config.QUOTA_MAX_GATEWAY_BYTES_PER_MONTH }),
  )
  signedIn.use(pinEventsRouter(deps.pinEvents))
  signedIn.use(pinsRouter(deps.pins))

  const router = Router()
  router.use(accountPrefix, ...sessions.identify, sessions.requireCsrf, open, signedIn)
  return router
}
