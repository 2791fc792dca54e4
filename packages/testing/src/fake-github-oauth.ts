/**
 * A small fake of GitHub's OAuth web flow and the two REST endpoints sign-in reads, for testing
 * "Sign in with GitHub" without github.com. It keeps GitHub's rules where a client could get them
 * wrong: the client id must be known and the redirect URI must start with the registered callback;
 * a code is single-use, bound to its client and redirect URI, and expires after ten minutes; a
 * wrong secret or code gets GitHub's 200-with-`error` answer; `/user/emails` needs the
 * `user:email` (or `user`) scope. Separate from the GitHub App (webhooks/REST) fake on purpose.
 *
 * @example
 * ```ts
 * const github = await startFakeGitHubOAuth({ callbackUrl: `${dashboard}/api/account/auth/github/callback` })
 * github.addUser({ id: 1, login: 'ada', emails: [{ email: 'ada@example.org', verified: true, primary: true }] })
 * github.signInAs('ada') // who "is signed in to GitHub" in the browser
 * ```
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A GitHub account of the fake. */
export interface FakeGitHubUser {
  id: number
  login: string
  name?: string
  emails: { email: string; verified: boolean; primary: boolean }[]
}

export interface FakeGitHubOAuth {
  /** Base URL of both the web pages (`/login/oauth/…`) and the API (`/user`). */
  readonly url: string
  readonly clientId: string
  readonly clientSecret: string
  addUser(user: FakeGitHubUser): void
  /** The account the next authorization approves; undefined: the user denies access. */
  signInAs(login: string | undefined): void
  /** Access tokens issued so far (to check a flow really exchanged a code). */
  readonly issuedTokens: number
  close(): Promise<void>
}

interface Grant {
  login: string
  clientId: string
  redirectUri: string
  scope: string
  expiresAt: number
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString()
  if ((req.headers['content-type'] ?? '').includes('json'))
    return new URLSearchParams(JSON.parse(text) as Record<string, string>)
  return new URLSearchParams(text)
}

/** Starts the fake on loopback. */
export async function startFakeGitHubOAuth(options: {
  /** The registered authorization callback URL; redirect URIs must start with it. */
  callbackUrl: string
}): Promise<FakeGitHubOAuth> {
  const clientId = `Iv1.${randomBytes(8).toString('hex')}`
  const clientSecret = randomBytes(20).toString('hex')
  const users = new Map<string, FakeGitHubUser>()
  const codes = new Map<string, Grant>()
  const tokens = new Map<string, { login: string; scope: string }>()
  let current: string | undefined
  let issued = 0

  const tokenOf = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? ''
    const match = /^(?:token|bearer) (\S+)$/i.exec(header)
    return match ? tokens.get(match[1] as string) : undefined
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    void (async () => {
      if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
        const redirectUri = url.searchParams.get('redirect_uri') ?? options.callbackUrl
        if (url.searchParams.get('client_id') !== clientId)
          return json(res, 404, { message: 'Not Found' })
        if (!redirectUri.startsWith(options.callbackUrl))
          return json(res, 400, { error: 'redirect_uri_mismatch' })
        const back = new URL(redirectUri)
        const state = url.searchParams.get('state')
        if (state !== null) back.searchParams.set('state', state)
        if (current === undefined) {
          back.searchParams.set('error', 'access_denied')
        } else {
          const code = randomBytes(10).toString('hex')
          codes.set(code, {
            login: current,
            clientId,
            redirectUri,
            scope: url.searchParams.get('scope') ?? '',
            expiresAt: Date.now() + 10 * 60_000,
          })
          back.searchParams.set('code', code)
        }
        res.writeHead(302, { location: back.href })
        return res.end()
      }
      if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
        const form = await readForm(req)
        if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret)
          return json(res, 200, { error: 'incorrect_client_credentials' })
        const code = form.get('code') ?? ''
        const grant = codes.get(code)
        codes.delete(code)
        const redirectUri = form.get('redirect_uri')
        if (
          grant === undefined ||
          grant.expiresAt < Date.now() ||
          (redirectUri !== null && redirectUri !== grant.redirectUri)
        )
          return json(res, 200, { error: 'bad_verification_code' })
        const token = `gho_${randomBytes(18).toString('hex')}`
        tokens.set(token, { login: grant.login, scope: grant.scope })
        issued += 1
        return json(res, 200, { access_token: token, token_type: 'bearer', scope: grant.scope })
      }
      if (req.method === 'GET' && (url.pathname === '/user' || url.pathname === '/user/emails')) {
        const token = tokenOf(req)
        const user = token === undefined ? undefined : users.get(token.login)
        if (token === undefined || user === undefined)
          return json(res, 401, { message: 'Requires authentication' })
        if (url.pathname === '/user') {
          const primary = user.emails.find((e) => e.primary)
          return json(res, 200, {
            id: user.id,
            login: user.login,
            name: user.name ?? null,
            email: primary?.email ?? null,
            html_url: `https://github.com/${user.login}`,
            type: 'User',
          })
        }
        const scopes = token.scope.split(/[ ,]+/)
        if (!scopes.includes('user:email') && !scopes.includes('user'))
          return json(res, 404, { message: 'Not Found' })
        return json(
          res,
          200,
          user.emails.map((e) => ({ ...e, visibility: e.primary ? 'public' : null })),
        )
      }
      json(res, 404, { message: 'Not Found' })
    })().catch(() => json(res, 500, { message: 'fake GitHub failed' }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientId,
    clientSecret,
    addUser: (user) => users.set(user.login, user),
    signInAs: (login) => {
      current = login
    },
    get issuedTokens() {
      return issued
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
