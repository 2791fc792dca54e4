/**
 * A tiny browser for tests: fetch with a cookie jar, manual redirects, and the CSRF header the
 * web app sends, so tests drive the account API exactly as the web app and a real browser do.
 */
export interface Answer {
  status: number
  headers: Headers
  body: unknown
  text: string
}

export class Browser {
  readonly cookies = new Map<string, string>()
  csrf: string | undefined

  constructor(readonly origin: string) {}

  /** Stores Set-Cookie values of a response (any host: tests use loopback only). */
  remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const at = pair.indexOf('=')
      const name = pair.slice(0, at).trim()
      const value = pair.slice(at + 1).trim()
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** One request, no redirects followed; JSON bodies in and out. */
  async request(
    method: string,
    path: string,
    options: {
      json?: unknown
      headers?: Record<string, string>
      body?: RequestInit['body']
      csrf?: boolean
    } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers }
    const cookie = this.cookieHeader()
    if (cookie !== '') headers.cookie = cookie
    if (options.csrf !== false && this.csrf !== undefined && method !== 'GET')
      headers['x-csrf-token'] = this.csrf
    let body = options.body
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.json)
    }
    const url = path.startsWith('http') ? path : `${this.origin}${path}`
    const response = await fetch(url, { method, headers, body, redirect: 'manual' })
    this.remember(response)
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
    } catch {
      parsed = undefined
    }
    return { status: response.status, headers: response.headers, body: parsed, text }
  }

  /** GET /api/account/session and keep its CSRF token, as the web app does on load. */
  async session(): Promise<
    { user: { id: string; email: string } | null; csrfToken: string } & Record<string, unknown>
  > {
    const answer = await this.request('GET', '/api/account/session')
    const body = answer.body as { user: { id: string; email: string } | null; csrfToken: string }
    this.csrf = body.csrfToken
    return body
  }

  async signUp(email: string, password = 'correct horse battery staple'): Promise<Answer> {
    if (this.csrf === undefined) await this.session()
    const answer = await this.request('POST', '/api/account/signup', { json: { email, password } })
    await this.session()
    return answer
  }

  async signIn(email: string, password = 'correct horse battery staple'): Promise<Answer> {
    if (this.csrf === undefined) await this.session()
    const answer = await this.request('POST', '/api/account/signin', { json: { email, password } })
    if (answer.status === 200) await this.session()
    return answer
  }

  /** Follows redirects (collecting cookies for every host) until a non-redirect or `stopAt`. */
  async follow(
    start: string,
    stopAt?: (url: URL) => boolean,
  ): Promise<{ url: URL; answer: Answer }> {
    let url = new URL(start, this.origin)
    for (let hop = 0; hop < 20; hop++) {
      if (stopAt?.(url))
        return { url, answer: { status: 0, headers: new Headers(), body: undefined, text: '' } }
      const answer = await this.request('GET', url.href)
      const location = answer.headers.get('location')
      if (answer.status < 300 || answer.status >= 400 || location === null) return { url, answer }
      url = new URL(location, url)
    }
    throw new Error(`too many redirects from ${start}`)
  }
}
