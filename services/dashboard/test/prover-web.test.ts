import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser } from './helpers/browser.js'
import { startTestDashboard, type TestDashboard } from './helpers/dashboard.js'
import { startProver, type RunningService } from './helpers/services.js'

let dashboard: TestDashboard
let prover: RunningService

beforeAll(async () => {
  dashboard = await startTestDashboard()
  prover = await startProver(dashboard.environment)
})
afterAll(async () => {
  await prover?.close()
  await dashboard?.close()
})

async function signedInAtProver(email: string): Promise<Browser> {
  const browser = dashboard.browser()
  await browser.signUp(email)
  const there = new Browser(prover.url)
  for (const [name, value] of browser.cookies) there.cookies.set(name, value)
  there.csrf = browser.csrf
  return there
}

describe('prover keys from the browser (/prover/web/v1)', () => {
  it('creates, lists, shows the setup of and deletes a key with the session', async () => {
    const ada = await signedInAtProver('prover-ada@example.org')
    const created = await ada.request('POST', '/prover/web/v1/challenge-key', {
      json: { protocol: 'sw-priv', challenge_size: 10 },
    })
    expect(created.status).toBe(201)
    const key = created.body as { key_id: string; protocol: string }
    expect(key.protocol).toBe('sw-priv')
    const listed = await ada.request('GET', '/prover/web/v1/challenge-keys')
    expect((listed.body as { keys: { key_id: string }[] }).keys.map((k) => k.key_id)).toEqual([
      key.key_id,
    ])
    const setup = await ada.request('GET', `/prover/web/v1/setup?key_id=${key.key_id}`)
    expect(setup.status).toBe(200)
    expect(setup.body).toMatchObject({ roots: [] })

    const bob = await signedInAtProver('prover-bob@example.org')
    expect((await bob.request('GET', `/prover/web/v1/setup?key_id=${key.key_id}`)).status).toBe(404)
    expect((await bob.request('DELETE', `/prover/web/v1/challenge-key/${key.key_id}`)).status).toBe(
      404,
    )
    const noCsrf = await ada.request('DELETE', `/prover/web/v1/challenge-key/${key.key_id}`, {
      csrf: false,
    })
    expect(noCsrf.status).toBe(403)
    expect((await ada.request('DELETE', `/prover/web/v1/challenge-key/${key.key_id}`)).status).toBe(
      204,
    )
    expect((await ada.request('GET', '/prover/web/v1/challenge-keys')).body).toEqual({ keys: [] })
  })

  it('answers 401 without a session', async () => {
    const anonymous = new Browser(prover.url)
    expect((await anonymous.request('GET', '/prover/web/v1/challenge-keys')).status).toBe(401)
  })
})
