import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser } from './helpers/browser.js'
import { startTestDashboard, type TestDashboard } from './helpers/dashboard.js'
import { startGateway, startUpload, type RunningService } from './helpers/services.js'

let dashboard: TestDashboard
let upload: RunningService
let gateway: RunningService

beforeAll(async () => {
  dashboard = await startTestDashboard()
  upload = await startUpload(dashboard.environment)
  gateway = await startGateway(dashboard.environment)
})
afterAll(async () => {
  await gateway?.close()
  await upload?.close()
  await dashboard?.close()
})

/** The same cookies against another service's origin (one site behind one Ingress in production). */
function at(origin: string, browser: Browser): Browser {
  const other = new Browser(origin)
  for (const [name, value] of browser.cookies) other.cookies.set(name, value)
  other.csrf = browser.csrf
  return other
}

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000
  for (;;) {
    const value = await probe()
    if (done(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('API tokens', () => {
  it('creates a token that works against another service, lists it, and revokes it (401 within 5 s)', async () => {
    const browser = dashboard.browser()
    await browser.signUp('tokens@example.org')
    const created = await browser.request('POST', '/api/account/tokens', {
      json: { name: 'ci', scopes: ['upload'], expiresInDays: 30 },
    })
    expect(created.status).toBe(201)
    const token = created.body as { token: string; id: string; scopes: string[]; expiresAt: string }
    expect(token.scopes).toEqual(['upload'])
    expect(token.token.split('.')).toHaveLength(3)
    expect(new Date(token.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000)

    const send = () =>
      fetch(`${upload.url}/upload/api/v1/?name=hello`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token.token}`,
          'content-type': 'application/octet-stream',
        },
        body: 'hello from a token',
      })
    const accepted = await send()
    expect(accepted.status).toBe(202)
    expect(((await accepted.json()) as { pin: { name: string } }).pin.name).toBe('hello')

    const listed = await browser.request('GET', '/api/account/tokens')
    const rows = (listed.body as { results: { id: string; revokedAt: string | null }[] }).results
    expect(rows.map((row) => row.id)).toEqual([token.id])
    expect(rows[0]?.revokedAt).toBeNull()
    expect(JSON.stringify(listed.body)).not.toContain(token.token)

    expect((await browser.request('DELETE', `/api/account/tokens/${token.id}`)).status).toBe(204)
    const rejected = await waitFor(send, (response) => response.status === 401)
    expect(rejected.status).toBe(401)
    const after = await browser.request('GET', '/api/account/tokens')
    expect(
      (after.body as { results: { revokedAt: string | null }[] }).results[0]?.revokedAt,
    ).not.toBeNull()
  })

  it("answers 404 for another user's token and changes nothing", async () => {
    const owner = dashboard.browser()
    await owner.signUp('owner@example.org')
    const created = await owner.request('POST', '/api/account/tokens', {
      json: { name: 'mine', scopes: ['pinning'] },
    })
    const id = (created.body as { id: string }).id
    const other = dashboard.browser()
    await other.signUp('other@example.org')
    const answer = await other.request('DELETE', `/api/account/tokens/${id}`)
    expect(answer.status).toBe(404)
    expect((answer.body as { error: { reason: string } }).error.reason).toBe('NOT_FOUND')
    expect((await other.request('GET', '/api/account/tokens')).body).toEqual({ results: [] })
    const mine = await owner.request('GET', '/api/account/tokens')
    expect(
      (mine.body as { results: { revokedAt: string | null }[] }).results[0]?.revokedAt,
    ).toBeNull()
  })

  it('refuses unknown scopes and a signed-out caller', async () => {
    const browser = dashboard.browser()
    await browser.signUp('scopes@example.org')
    const admin = await browser.request('POST', '/api/account/tokens', {
      json: { name: 'x', scopes: ['admin'] },
    })
    expect(admin.status).toBe(400)
    const anonymous = dashboard.browser()
    await anonymous.session()
    expect((await anonymous.request('GET', '/api/account/tokens')).status).toBe(401)
  })
})

describe('browser uploads and the web gateway', () => {
  it('uploads through /upload/web/ with the session and CSRF token, then reads it through /gateway/web/', async () => {
    const browser = dashboard.browser()
    await browser.signUp('web@example.org')
    const web = at(upload.url, browser)
    const answer = await web.request('POST', '/upload/web/?name=note.txt', {
      headers: { 'content-type': 'application/octet-stream' },
      body: 'uploaded from the browser',
    })
    expect(answer.status).toBe(202)
    const pin = answer.body as { requestid: string; pin: { cid: string; name: string } }
    expect(pin.pin.name).toBe('note.txt')
    const row = await dashboard.environment.database.prisma.pin.findUnique({
      where: { id: pin.requestid },
    })
    const session = await browser.session()
    expect(row?.userId).toBe(session.user?.id)

    const read = await at(gateway.url, browser).request('GET', `/gateway/web/ipfs/${pin.pin.cid}`)
    expect(read.status).toBe(200)
    expect(read.text).toBe('uploaded from the browser')
    const anonymous = await new Browser(gateway.url).request(
      'GET',
      `/gateway/web/ipfs/${pin.pin.cid}`,
    )
    expect(anonymous.status).toBe(401)
  })

  it('refuses a browser upload without the CSRF token (403) or without a session (401), storing nothing', async () => {
    const browser = dashboard.browser()
    await browser.signUp('nocsrf@example.org')
    const web = at(upload.url, browser)
    const before = await dashboard.environment.database.prisma.pin.count()
    const noCsrf = await web.request('POST', '/upload/web/', {
      headers: { 'content-type': 'application/octet-stream' },
      body: 'should not be stored',
      csrf: false,
    })
    expect(noCsrf.status).toBe(403)
    expect((noCsrf.body as { error: { reason: string } }).error.reason).toBe('CSRF_FAILED')
    const noSession = await new Browser(upload.url).request('POST', '/upload/web/', {
      headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': 'x' },
      body: 'should not be stored',
    })
    expect(noSession.status).toBe(401)
    expect(await dashboard.environment.database.prisma.pin.count()).toBe(before)
  })
})
