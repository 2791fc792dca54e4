import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestDashboard, type TestDashboard } from './helpers/dashboard.js'

let dashboard: TestDashboard

beforeAll(async () => {
  dashboard = await startTestDashboard({ SIGNIN_MAX_ATTEMPTS: '3' })
})
afterAll(() => dashboard.close())

const sid = (browser: { cookies: Map<string, string> }) => browser.cookies.get('pinion.sid')

describe('account sessions', () => {
  it('signs up, reads the session, signs out and back in', async () => {
    const browser = dashboard.browser()
    const anonymous = await browser.session()
    expect(anonymous.user).toBeNull()
    expect(anonymous.signUpOpen).toBe(true)
    expect(anonymous.csrfToken).toMatch(/^[\w-]{20,}$/)

    const signedUp = await browser.signUp('ada@example.org')
    expect(signedUp.status).toBe(201)
    expect((signedUp.body as { user: { email: string } }).user.email).toBe('ada@example.org')
    const session = await browser.session()
    expect(session.user?.email).toBe('ada@example.org')
    expect(session.csrfToken).not.toBe(anonymous.csrfToken)

    const cookie = (await dashboard.environment.database.prisma.session.findMany()).find(
      (row) => row.userId === session.user?.id,
    )
    expect(cookie).toBeDefined()

    expect((await browser.request('POST', '/api/account/signout')).status).toBe(204)
    expect((await browser.session()).user).toBeNull()
    expect((await browser.signIn('ada@example.org')).status).toBe(200)
    expect((await browser.session()).user?.email).toBe('ada@example.org')
  })

  it('sets the cookie HttpOnly, SameSite=Lax, Path=/', async () => {
    const browser = dashboard.browser()
    const answer = await browser.request('GET', '/api/account/session')
    const cookie = answer.headers.getSetCookie().find((line) => line.startsWith('pinion.sid='))
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).toMatch(/Path=\//)
  })

  it('refuses a duplicate e-mail with 409 and a wrong password with 401', async () => {
    const browser = dashboard.browser()
    expect((await browser.signUp('dup@example.org')).status).toBe(201)
    const again = dashboard.browser()
    const conflict = await again.signUp('DUP@example.org')
    expect(conflict.status).toBe(409)
    const wrong = await dashboard.browser().signIn('dup@example.org', 'not the password')
    expect(wrong.status).toBe(401)
    expect(wrong.body).toEqual({
      error: { reason: 'UNAUTHORIZED', details: 'Wrong e-mail or password' },
    })
  })

  it('regenerates the session id at sign-in; the old id is useless', async () => {
    const owner = dashboard.browser()
    await owner.signUp('fixation@example.org')
    await owner.request('POST', '/api/account/signout')

    // An attacker plants their anonymous session id in the victim's browser.
    const attacker = dashboard.browser()
    await attacker.session()
    const planted = sid(attacker)
    expect(planted).toBeDefined()
    const victim = dashboard.browser()
    victim.cookies.set('pinion.sid', planted as string)
    victim.csrf = attacker.csrf
    expect((await victim.signIn('fixation@example.org')).status).toBe(200)
    expect(sid(victim)).not.toBe(planted)
    expect((await victim.session()).user?.email).toBe('fixation@example.org')
    // The attacker's copy of the old id is not signed in.
    expect((await attacker.session()).user).toBeNull()
    expect((await attacker.request('GET', '/api/account/tokens')).status).toBe(401)
  })

  it('refuses state changes without the right CSRF token and changes nothing', async () => {
    const browser = dashboard.browser()
    await browser.signUp('csrf@example.org')
    const missing = await browser.request('POST', '/api/account/tokens', {
      json: { name: 'x', scopes: ['pinning'] },
      csrf: false,
    })
    expect(missing.status).toBe(403)
    expect((missing.body as { error: { reason: string } }).error.reason).toBe('CSRF_FAILED')
    const wrong = await browser.request('POST', '/api/account/tokens', {
      json: { name: 'x', scopes: ['pinning'] },
      csrf: false,
      headers: { 'x-csrf-token': 'not-the-token' },
    })
    expect(wrong.status).toBe(403)
    const signOut = await browser.request('POST', '/api/account/signout', { csrf: false })
    expect(signOut.status).toBe(403)
    const tokens = await browser.request('GET', '/api/account/tokens')
    expect((tokens.body as { results: unknown[] }).results).toEqual([])
    expect((await browser.session()).user?.email).toBe('csrf@example.org')
    // A sign-in without the token is refused as well (login CSRF).
    const login = await dashboard.browser().request('POST', '/api/account/signin', {
      json: { email: 'csrf@example.org', password: 'correct horse battery staple' },
    })
    expect(login.status).toBe(403)
  })

  it('signs out everywhere: every session of the user is gone', async () => {
    const laptop = dashboard.browser()
    await laptop.signUp('everywhere@example.org')
    const phone = dashboard.browser()
    await phone.signIn('everywhere@example.org')
    const other = dashboard.browser()
    await other.signUp('bystander@example.org')
    expect((await phone.session()).user?.email).toBe('everywhere@example.org')

    expect((await laptop.request('POST', '/api/account/signout-everywhere')).status).toBe(204)
    expect((await laptop.session()).user).toBeNull()
    expect((await phone.session()).user).toBeNull()
    expect((await other.session()).user?.email).toBe('bystander@example.org')
    const user = await dashboard.environment.database.prisma.user.findFirst({
      where: { email: 'everywhere@example.org' },
    })
    expect(
      await dashboard.environment.database.prisma.session.count({ where: { userId: user?.id } }),
    ).toBe(0)
  })

  it('signs a disabled user out', async () => {
    const browser = dashboard.browser()
    const body = (await browser.signUp('disabled@example.org')).body as { user: { id: string } }
    await dashboard.environment.database.prisma.user.update({
      where: { id: body.user.id },
      data: { disabledAt: new Date() },
    })
    expect((await browser.session()).user).toBeNull()
    expect((await dashboard.browser().signIn('disabled@example.org')).status).toBe(401)
  })

  it('throttles repeated failed sign-ins per e-mail with 429 and Retry-After', async () => {
    const owner = dashboard.browser()
    await owner.signUp('brute@example.org')
    const attacker = dashboard.browser()
    const statuses: number[] = []
    for (let i = 0; i < 5; i++)
      statuses.push((await attacker.signIn('brute@example.org', `guess-${i}`)).status)
    expect(statuses).toEqual([401, 401, 401, 429, 429])
    // Even the right password is refused while throttled.
    const right = await attacker.signIn('brute@example.org')
    expect(right.status).toBe(429)
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((right.body as { error: { reason: string } }).error.reason).toBe('RATE_LIMITED')
    // Another e-mail from the same address is not affected.
    expect((await attacker.signIn('ada@example.org')).status).toBe(200)
  })

  it('validates bodies with 400', async () => {
    const browser = dashboard.browser()
    await browser.session()
    const answer = await browser.request('POST', '/api/account/signup', {
      json: { email: 'not-an-email', password: 'x' },
    })
    expect(answer.status).toBe(400)
    expect((answer.body as { error: { reason: string } }).error.reason).toBe('BAD_REQUEST')
  })
})

describe('closed sign-up', () => {
  let closed: TestDashboard
  beforeAll(async () => {
    // Behind one reverse proxy (an Ingress that terminates TLS).
    closed = await startTestDashboard({ SIGNUP_OPEN: 'false', TRUST_PROXY_HOPS: '1' })
  })
  afterAll(() => closed.close())

  it('answers 403 SIGNUP_CLOSED and creates no account', async () => {
    const browser = closed.browser()
    expect((await browser.session()).signUpOpen).toBe(false)
    const answer = await browser.signUp('late@example.org')
    expect(answer.status).toBe(403)
    expect((answer.body as { error: { reason: string } }).error.reason).toBe('SIGNUP_CLOSED')
    expect(await closed.environment.database.prisma.user.count()).toBe(0)
  })

  it('marks the cookie Secure when the proxy says the request came over HTTPS', async () => {
    const browser = closed.browser()
    const proxied = await browser.request('GET', '/api/account/session', {
      headers: { 'x-forwarded-proto': 'https' },
    })
    const secure = proxied.headers.getSetCookie().find((line) => line.startsWith('pinion.sid='))
    expect(secure).toMatch(/; Secure/i)
    const plain = await closed.browser().request('GET', '/api/account/session')
    const insecure = plain.headers.getSetCookie().find((line) => line.startsWith('pinion.sid='))
    expect(insecure).toBeDefined()
    expect(insecure).not.toMatch(/; Secure/i)
  })
})

describe('throttling shared by every replica', () => {
  it('counts failed sign-ins of one e-mail across two dashboards, and stores no e-mail', async () => {
    const first = await startTestDashboard({ SIGNIN_MAX_ATTEMPTS: '3' })
    const second = await startTestDashboard({ SIGNIN_MAX_ATTEMPTS: '3' }, first.environment)
    try {
      await first.browser().signUp('replicas@example.org')
      const statuses: number[] = []
      for (const replica of [first, second, first, second])
        statuses.push((await replica.browser().signIn('replicas@example.org', 'wrong')).status)
      expect(statuses).toEqual([401, 401, 401, 429])
      const refused = await first.browser().signIn('replicas@example.org')
      expect(refused.status).toBe(429)
      const windows = await first.environment.database.prisma.attemptWindow.findMany()
      expect(windows.length).toBeGreaterThan(0)
      expect(JSON.stringify(windows)).not.toMatch(/replicas|example/)
    } finally {
      await second.close()
      await first.close()
    }
  })

  it('limits sign-ups per client address with 429 and Retry-After, whatever the answer', async () => {
    const limited = await startTestDashboard({ SIGNUP_MAX_PER_ADDRESS: '2', TRUST_PROXY_HOPS: '1' })
    try {
      const from = (address: string) => ({ headers: { 'x-forwarded-for': address } })
      const signUp = async (email: string, address: string) => {
        const browser = limited.browser()
        await browser.session()
        return browser.request('POST', '/api/account/signup', {
          ...from(address),
          json: { email, password: 'correct horse battery staple' },
        })
      }
      expect((await signUp('one@example.org', '203.0.113.7')).status).toBe(201)
      expect((await signUp('one@example.org', '203.0.113.7')).status).toBe(409)
      const third = await signUp('three@example.org', '203.0.113.7')
      expect(third.status).toBe(429)
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(3000)
      expect((third.body as { error: { reason: string } }).error.reason).toBe('RATE_LIMITED')
      expect(await limited.environment.database.prisma.user.count()).toBe(1)
      expect((await signUp('three@example.org', '198.51.100.1')).status).toBe(201)
    } finally {
      await limited.close()
    }
  })
})

describe('session secret rotation', () => {
  const oldSecret = 'the-old-session-secret-0123456789-abcdef'
  const newSecret = 'the-new-session-secret-0123456789-abcdef'

  it('keeps sessions signed with a previous secret, and re-signs them with the new one', async () => {
    const before = await startTestDashboard({ SESSION_SECRET: oldSecret })
    const rotated = await startTestDashboard(
      { SESSION_SECRET: newSecret, SESSION_PREVIOUS_SECRETS: oldSecret },
      before.environment,
    )
    const dropped = await startTestDashboard({ SESSION_SECRET: newSecret }, before.environment)
    try {
      const browser = before.browser()
      expect((await browser.signUp('rotate@example.org')).status).toBe(201)
      const oldCookie = sid(browser)!

      const carried = rotated.browser()
      carried.cookies.set('pinion.sid', oldCookie)
      expect((await carried.session()).user?.email).toBe('rotate@example.org')
      // The answer re-signed the same session with the new secret.
      const reSigned = sid(carried)!
      expect(reSigned).not.toBe(oldCookie)
      const fresh = dropped.browser()
      fresh.cookies.set('pinion.sid', reSigned)
      expect((await fresh.session()).user?.email).toBe('rotate@example.org')

      // Once the old secret is gone, a cookie it signed is just an anonymous visitor.
      const stale = dropped.browser()
      stale.cookies.set('pinion.sid', oldCookie)
      expect((await stale.session()).user).toBeNull()
    } finally {
      await dropped.close()
      await rotated.close()
      await before.close()
    }
  })
})
