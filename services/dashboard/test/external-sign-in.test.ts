import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { startFakeGitHubOAuth, type FakeGitHubOAuth } from '@pinion/testing'
import Provider from 'oidc-provider'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from './helpers/browser.js'
import { startTestDashboard, type TestDashboard } from './helpers/dashboard.js'

/** People the OpenID provider knows, by account id. */
const oidcAccounts: Record<string, { email: string; email_verified: boolean; name: string }> = {
  alice: { email: 'alice@corp.example', email_verified: true, name: 'Alice' },
  mallory: { email: 'victim@example.org', email_verified: false, name: 'Mallory' },
  victor: { email: 'victim@example.org', email_verified: true, name: 'Victor' },
}

let environment: TestEnvironment
let dashboard: TestDashboard
let github: FakeGitHubOAuth
let oidcServer: Server
let issuer: string

beforeAll(async () => {
  environment = await createTestEnvironment()
  oidcServer = createServer()
  await new Promise<void>((resolve) => oidcServer.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(oidcServer.address() as AddressInfo).port}`
  github = await startFakeGitHubOAuth({ callbackUrl: 'http://127.0.0.1' })
  dashboard = await startTestDashboard((url) => {
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'pinion',
          client_secret: 'pinion-secret-for-tests',
          redirect_uris: [`${url}/api/account/auth/oidc/corp/callback`],
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      findAccount: (_ctx: unknown, id: string) => {
        const account = oidcAccounts[id]
        if (account === undefined) return undefined
        return { accountId: id, claims: () => ({ sub: id, ...account }) }
      },
      cookies: { keys: ['oidc-provider-cookie-key-for-tests'] },
    })
    oidcServer.on('request', provider.callback())
    return {
      OIDC_PROVIDERS: JSON.stringify([
        {
          name: 'corp',
          label: 'Corp SSO',
          issuer,
          clientId: 'pinion',
          clientSecret: 'pinion-secret-for-tests',
        },
        // Nothing listens on port 9 (discard) of loopback: discovery fails.
        { name: 'down', label: 'Down', issuer: 'http://127.0.0.1:9', clientId: 'x' },
      ]),
      GITHUB_CLIENT_ID: github.clientId,
      GITHUB_CLIENT_SECRET: github.clientSecret,
      GITHUB_WEB_URL: github.url,
      GITHUB_API_URL: github.url,
    }
  }, environment)
})
afterAll(async () => {
  await dashboard?.close()
  await github?.close()
  oidcServer?.closeAllConnections()
  oidcServer?.close()
  await environment?.cleanup()
})

/**
 * Drives the provider's login and consent pages with plain form posts until the browser is sent
 * back to the dashboard's callback, then follows the dashboard's redirects. Returns where it ends.
 */
async function oidcSignIn(browser: Browser, accountId: string): Promise<string> {
  let { url, answer } = await browser.follow('/api/account/auth/oidc/corp')
  for (let step = 0; step < 6; step++) {
    if (url.origin === browser.origin) break
    const prompt = /name="prompt" value="(\w+)"/.exec(answer.text)?.[1] ?? 'login'
    const form = new URLSearchParams({ prompt, login: accountId, password: 'any' })
    const posted = await browser.request('POST', url.href, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
    const next = posted.headers.get('location')
    if (next === null) throw new Error(`the provider answered ${posted.status}: ${posted.text}`)
    ;({ url, answer } = await browser.follow(new URL(next, url).href))
  }
  return url.pathname + url.search
}

describe('OpenID Connect sign-in', () => {
  it('lists the provider and signs a new user in through the code flow with PKCE', async () => {
    const browser = dashboard.browser()
    const session = await browser.session()
    expect(session.providers).toContainEqual({
      id: 'oidc:corp',
      label: 'Corp SSO',
      url: '/api/account/auth/oidc/corp',
    })
    const start = await browser.request('GET', '/api/account/auth/oidc/corp')
    const authorize = new URL(start.headers.get('location') ?? '')
    expect(authorize.origin).toBe(issuer)
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorize.searchParams.get('state')).toBeTruthy()
    expect(authorize.searchParams.get('nonce')).toBeTruthy()

    expect(await oidcSignIn(browser, 'alice')).toBe('/')
    const signedIn = await browser.session()
    expect(signedIn.user?.email).toBe('alice@corp.example')
    const identity = await environment.database.prisma.identity.findFirst({
      where: { subject: 'alice' },
    })
    expect(identity?.provider).toMatch(/^oidc:http:\/\/127\.0\.0\.1:\d+/)
    expect(identity?.userId).toBe(signedIn.user?.id)

    // A second sign-in finds the same account.
    const again = dashboard.browser()
    await again.session()
    expect(await oidcSignIn(again, 'alice')).toBe('/')
    expect((await again.session()).user?.id).toBe(signedIn.user?.id)
  })

  it('links to an existing account only when the provider verified the e-mail', async () => {
    const owner = dashboard.browser()
    await owner.signUp('victim@example.org')
    const ownerId = (await owner.session()).user?.id

    const mallory = dashboard.browser()
    await mallory.session()
    expect(await oidcSignIn(mallory, 'mallory')).toBe('/?signin=failed')
    expect((await mallory.session()).user).toBeNull()

    const victor = dashboard.browser()
    await victor.session()
    expect(await oidcSignIn(victor, 'victor')).toBe('/')
    expect((await victor.session()).user?.id).toBe(ownerId)
  })

  it('sends the browser back when the provider cannot be reached', async () => {
    const browser = dashboard.browser()
    await browser.session()
    const answer = await browser.request('GET', '/api/account/auth/oidc/down')
    expect(answer.status).toBe(302)
    expect(answer.headers.get('location')).toBe('/?signin=failed')
  })

  it('refuses a callback whose state does not match', async () => {
    const browser = dashboard.browser()
    await browser.session()
    await browser.request('GET', '/api/account/auth/oidc/corp')
    const forged = await browser.request(
      'GET',
      '/api/account/auth/oidc/corp/callback?code=stolen&state=forged',
    )
    expect(forged.headers.get('location')).toBe('/?signin=failed')
    expect((await browser.session()).user).toBeNull()
  })
})

describe('GitHub sign-in', () => {
  it('signs in through the OAuth flow and keeps GitHub’s verified flag', async () => {
    github.addUser({
      id: 4242,
      login: 'octo',
      name: 'Octo Cat',
      emails: [
        { email: 'octo@users.example', verified: true, primary: true },
        { email: 'old@users.example', verified: false, primary: false },
      ],
    })
    github.signInAs('octo')
    const browser = dashboard.browser()
    const session = await browser.session()
    expect(session.providers).toContainEqual({
      id: 'github',
      label: 'GitHub',
      url: '/api/account/auth/github',
    })
    const issued = github.issuedTokens
    const { url } = await browser.follow('/api/account/auth/github')
    expect(url.pathname + url.search).toBe('/')
    expect(github.issuedTokens).toBe(issued + 1)
    const user = (await browser.session()).user
    expect(user?.email).toBe('octo@users.example')
    const identity = await environment.database.prisma.identity.findUnique({
      where: { provider_subject: { provider: 'github', subject: '4242' } },
    })
    expect(identity?.userId).toBe(user?.id)
    expect(identity?.profile).toMatchObject({ login: 'octo' })
  })

  it('sends the browser back with signin=failed when the user denies access', async () => {
    github.signInAs(undefined)
    const browser = dashboard.browser()
    await browser.session()
    const { url } = await browser.follow('/api/account/auth/github')
    expect(url.pathname + url.search).toBe('/?signin=failed')
    expect((await browser.session()).user).toBeNull()
  })
})
