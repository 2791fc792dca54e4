import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser } from './helpers/browser.js'
import { startTestDashboard, type TestDashboard } from './helpers/dashboard.js'
import { startUpload, type RunningService } from './helpers/services.js'

let dashboard: TestDashboard
let upload: RunningService

beforeAll(async () => {
  dashboard = await startTestDashboard()
  upload = await startUpload(dashboard.environment)
})
afterAll(async () => {
  await upload?.close()
  await dashboard?.close()
})

// The Pinning API lists only `pinned` pins unless asked; no worker runs here, so ask for all.
const any = 'status=queued,pinning,pinned,failed'
const cidA = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
const cidB = 'bafkreidvbhs33ighmljlvr7zbv2ywwzcmp5adtf4kqvlly67cy56bdtmve'

/** Pins content for the browser's user through the web upload route (as the web app does). */
async function pinViaUpload(browser: Browser, name: string, content: string): Promise<string> {
  const atUpload = new Browser(upload.url)
  for (const [cookie, value] of browser.cookies) atUpload.cookies.set(cookie, value)
  atUpload.csrf = browser.csrf
  const answer = await atUpload.request('POST', `/upload/web/?name=${name}`, {
    headers: { 'content-type': 'application/octet-stream' },
    body: content,
  })
  expect(answer.status).toBe(202)
  return (answer.body as { requestid: string }).requestid
}

describe('pins of the signed-in user', () => {
  it('lists with the Pinning API filters, replaces and deletes; others see 404', async () => {
    const ada = dashboard.browser()
    await ada.signUp('pins-ada@example.org')
    const first = await pinViaUpload(ada, 'alpha.txt', 'alpha')
    await pinViaUpload(ada, 'beta.txt', 'beta')
    const bob = dashboard.browser()
    await bob.signUp('pins-bob@example.org')
    await pinViaUpload(bob, 'bob.txt', 'bob')

    const all = await ada.request('GET', `/api/account/pins?${any}`)
    expect(all.status).toBe(200)
    const page = all.body as {
      count: number
      results: { requestid: string; pin: { name: string } }[]
    }
    expect(page.count).toBe(2)
    expect(page.results.map((r) => r.pin.name).sort()).toEqual(['alpha.txt', 'beta.txt'])

    const filtered = await ada.request('GET', `/api/account/pins?${any}&name=ALPHA&match=ipartial`)
    expect((filtered.body as { count: number }).count).toBe(1)
    expect((await ada.request('GET', '/api/account/pins?status=bogus')).status).toBe(400)

    expect((await bob.request('DELETE', `/api/account/pins/${first}`)).status).toBe(404)
    expect(
      (await bob.request('POST', `/api/account/pins/${first}`, { json: { cid: cidA } })).status,
    ).toBe(404)
    expect(
      (await ada.request('DELETE', `/api/account/pins/${first}`, { csrf: false })).status,
    ).toBe(403)

    const replaced = await ada.request('POST', `/api/account/pins/${first}`, {
      json: { cid: cidB, name: 'replaced' },
    })
    expect(replaced.status).toBe(202)
    const replacement = replaced.body as { requestid: string; pin: { cid: string; name: string } }
    expect(replacement.pin).toMatchObject({ cid: cidB, name: 'replaced' })
    expect(replacement.requestid).not.toBe(first)

    expect((await ada.request('DELETE', `/api/account/pins/${replacement.requestid}`)).status).toBe(
      204,
    )
    const left = await ada.request('GET', `/api/account/pins?${any}`)
    expect(
      (left.body as { results: { pin: { name: string } }[] }).results.map((r) => r.pin.name),
    ).toEqual(['beta.txt'])
    expect(
      ((await bob.request('GET', `/api/account/pins?${any}`)).body as { count: number }).count,
    ).toBe(1)
  })
})
