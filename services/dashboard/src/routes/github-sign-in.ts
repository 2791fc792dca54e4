import { Router, type NextFunction, type Request, type Response } from 'express'
import { Passport } from 'passport'
import { Strategy as GitHubStrategy, type Profile, type StrategyOptions } from 'passport-github2'
import type { VerifyCallback } from 'passport-oauth2'
import type { ExternalProfile } from '../domain/external-sign-in.js'
import { signInOrFailure } from './sign-in-or-failure.js'

/** GitHub OAuth settings. */
export interface GitHubSignInInit {
  clientId: string
  clientSecret: string
  /** github.com, a GitHub Enterprise host, or a fake GitHub in tests. */
  oauthUrl: string
  apiUrl: string
  /** Where GitHub sends the browser back: `<PUBLIC_URL>/api/account/auth/github/callback`. */
  callbackUrl: string
}

interface GitHubEmail {
  value: string
  verified?: boolean
  primary?: boolean
}

/** The external profile of a GitHub user: the primary e-mail, verified flag as GitHub says. */
export function gitHubProfile(profile: Profile): ExternalProfile {
  const emails = (profile.emails ?? []) as GitHubEmail[]
  const chosen = emails.find((e) => e.primary && e.verified) ?? emails.find((e) => e.verified)
  return {
    provider: 'github',
    subject: String(profile.id),
    email: chosen?.value ?? emails[0]?.value,
    emailVerified: chosen?.verified === true,
    displayName: profile.displayName || profile.username,
    profile: { login: profile.username ?? null, profileUrl: profile.profileUrl },
  }
}

/**
 * `GET /auth/github` and `/auth/github/callback` through passport-github2 (state kept in the
 * session against CSRF on the callback). The verified profile goes to `signIn`, which resolves
 * the account; errors end in a redirect to `/?signin=failed` rather than a JSON page.
 */
export function gitHubSignInRouter(
  deps: { signIn: (req: Request, profile: ExternalProfile) => Promise<void> },
  init: GitHubSignInInit,
): Router {
  const passport = new Passport()
  const oauth = init.oauthUrl.replace(/\/$/, '')
  const api = init.apiUrl.replace(/\/$/, '')
  passport.use(
    new GitHubStrategy(
      {
        clientID: init.clientId,
        clientSecret: init.clientSecret,
        callbackURL: init.callbackUrl,
        authorizationURL: `${oauth}/login/oauth/authorize`,
        tokenURL: `${oauth}/login/oauth/access_token`,
        userProfileURL: `${api}/user`,
        userEmailURL: `${api}/user/emails`,
        scope: ['user:email'],
        allRawEmails: true,
        state: true,
        // allRawEmails (keep the `verified` flags) and state: true (a random state kept in the
        // session) are in the strategy but not in its types.
      } as unknown as StrategyOptions,
      (_accessToken: string, _refreshToken: string, profile: Profile, done: VerifyCallback) =>
        done(null, profile),
    ),
  )
  const router = Router()
  router.get('/auth/github', passport.authenticate('github', { session: false }))
  router.get('/auth/github/callback', (req: Request, res: Response, next: NextFunction) => {
    passport.authenticate(
      'github',
      { session: false },
      (error: unknown, profile: Profile | false) => {
        if (error || !profile) return res.redirect('/?signin=failed')
        signInOrFailure(deps.signIn, req, gitHubProfile(profile))
          .then((signedIn) => res.redirect(signedIn ? '/' : '/?signin=failed'))
          .catch(next)
      },
    )(req, res, next)
  })
  return router
}
