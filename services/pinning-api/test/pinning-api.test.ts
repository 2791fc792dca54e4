import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  call,
  cidFor,
  markPinned,
  postJson,
  startPinningApi,
  type RunningPinningApi,
  type TestUser,
} from './helpers/service.js'

let api: RunningPinningApi
let ada: TestUser
let pins: string

beforeAll(async () => {
  api = await startPinningApi()
  ada = await api.newUser()
  pins = `${api.endpoint}/pins`
})
afterAll(() => api.stop())

const schemaKeys = ['created', 'delegates', 'pin', 'requestid', 'status']

describe('the five operations', () => {
  it('POST /pins answers 202 with a queued PinStatus carrying only schema keys', async () => {
    const cid = await cidFor('post')
    const answer = await postJson(pins, ada.auth, { cid, name: 'first', meta: { app: 'test' } })
    expect(answer.status).toBe(202)
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/)
    expect(Object.keys(answer.body).sort()).toEqual(schemaKeys)
    expect(answer.body).toMatchObject({
      status: 'queued',
      pin: { cid, name: 'first', meta: { app: 'test' } },
    })
    expect(answer.body.delegates.length).toBeGreaterThanOrEqual(1)
    for (const delegate of answer.body.delegates) expect(delegate).toMatch(/\/p2p\/12D3KooW\w+$/)
    expect(answer.body.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)

    const again = await postJson(pins, ada.auth, { cid, name: 'first' })
    expect(again.body.requestid).not.toBe(answer.body.requestid)
  })

  it('GET /pins/{id} answers the pin; GET /pins lists it once pinned', async () => {
    const cid = await cidFor('get')
    const created = await postJson(pins, ada.auth, { cid })
    const read = await call(`${pins}/${created.body.requestid}`, { headers: ada.auth })
    expect(read.status).toBe(200)
    expect(read.body).toEqual(created.body)

    const listedBefore = await call(`${pins}?cid=${cid}`, { headers: ada.auth })
    expect(listedBefore.body).toEqual({ count: 0, results: [] })
    await markPinned(api.deps, [created.body.requestid])
    const listed = await call(`${pins}?cid=${cid}`, { headers: ada.auth })
    expect(listed.status).toBe(200)
    expect(listed.body.count).toBe(1)
    expect(listed.body.results[0]).toMatchObject({
      requestid: created.body.requestid,
      status: 'pinned',
    })
  })

  it('POST /pins/{id} replaces: 202, a new requestid, the old one 404', async () => {
    const old = await postJson(pins, ada.auth, { cid: await cidFor('replace old') })
    const cid = await cidFor('replace new')
    const replaced = await postJson(`${pins}/${old.body.requestid}`, ada.auth, { cid })
    expect(replaced.status).toBe(202)
    expect(replaced.body.requestid).not.toBe(old.body.requestid)
    expect(replaced.body.pin.cid).toBe(cid)
    expect((await call(`${pins}/${old.body.requestid}`, { headers: ada.auth })).status).toBe(404)
    expect((await call(`${pins}/${replaced.body.requestid}`, { headers: ada.auth })).status).toBe(
      200,
    )
  })

  it('DELETE /pins/{id} answers 202 without a body, then 404', async () => {
    const created = await postJson(pins, ada.auth, { cid: await cidFor('delete') })
    const url = `${pins}/${created.body.requestid}`
    const deleted = await call(url, { method: 'DELETE', headers: ada.auth })
    expect(deleted.status).toBe(202)
    expect(deleted.text).toBe('')
    const gone = await call(url, { headers: ada.auth })
    expect(gone.status).toBe(404)
    expect(gone.body).toEqual({ error: { reason: 'NOT_FOUND', details: expect.any(String) } })
    expect((await call(url, { method: 'DELETE', headers: ada.auth })).status).toBe(404)
  })
})

describe('listing', () => {
  it('reads meta as JSON and as meta[key]=value, and all statuses when asked', async () => {
    const user = await api.newUser()
    const one = await postJson(pins, user.auth, {
      cid: await cidFor('m1'),
      meta: { app: 'a', v: '1' },
    })
    const two = await postJson(pins, user.auth, {
      cid: await cidFor('m2'),
      meta: { app: 'a', v: '2' },
    })
    await markPinned(api.deps, [one.body.requestid, two.body.requestid])
    await postJson(pins, user.auth, { cid: await cidFor('m3'), meta: { app: 'a' } })
    const json = encodeURIComponent(JSON.stringify({ app: 'a', v: '2' }))
    const byJson = await call(`${pins}?meta=${json}`, { headers: user.auth })
    expect(byJson.body.results.map((r: { requestid: string }) => r.requestid)).toEqual([
      two.body.requestid,
    ])
    const byBrackets = await call(`${pins}?meta%5Bapp%5D=a`, { headers: user.auth })
    expect(byBrackets.body.count).toBe(2)
    const all = await call(`${pins}?status=queued,pinning,pinned,failed&meta%5Bapp%5D=a`, {
      headers: user.auth,
    })
    expect(all.body.count).toBe(3)
  })

  it('tolerates a base URL with a trailing slash (…/v1//pins)', async () => {
    const answer = await call(`${api.endpoint}//pins`, { headers: ada.auth })
    expect(answer.status).toBe(200)
  })
})

describe('who asks', () => {
  it('answers 401 JSON without a token, with an unknown token, and 403 without the scope', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer purposefullyInvalid' },
      { authorization: 'Basic x' },
    ]
    for (const headers of attempts) {
      const answer = await call(pins, { headers })
      expect(answer.status).toBe(401)
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/)
      expect(answer.body.error.reason).toBe('UNAUTHORIZED')
      expect(answer.body.error.details.length).toBeGreaterThan(0)
    }
    const uploader = await api.newUser({ scopes: ['upload'] })
    expect((await call(pins, { headers: uploader.auth })).status).toBe(403)
  })

  it("answers 404 for another user's pin, whatever the method, and changes nothing", async () => {
    const bob = await api.newUser()
    const adas = await postJson(pins, ada.auth, { cid: await cidFor('private') })
    const url = `${pins}/${adas.body.requestid}`
    expect((await call(url, { headers: bob.auth })).status).toBe(404)
    expect((await postJson(url, bob.auth, { cid: await cidFor('x') })).status).toBe(404)
    expect((await call(url, { method: 'DELETE', headers: bob.auth })).status).toBe(404)
    const listed = await call(`${pins}?status=queued`, { headers: bob.auth })
    expect(listed.body).toEqual({ count: 0, results: [] })
    expect((await call(url, { headers: ada.auth })).body).toEqual(adas.body)
  })

  it('answers 409 INSUFFICIENT_FUNDS past the pin quota and stores nothing more', async () => {
    const limited = await api.newUser({ maxPins: 1 })
    expect((await postJson(pins, limited.auth, { cid: await cidFor('q1') })).status).toBe(202)
    const refused = await postJson(pins, limited.auth, { cid: await cidFor('q2') })
    expect(refused.status).toBe(409)
    expect(refused.body.error.reason).toBe('INSUFFICIENT_FUNDS')
    expect(await api.deps.database.prisma.pin.count({ where: { userId: limited.id } })).toBe(1)
  })
})

describe('HTTP details', () => {
  it('answers JSON 404 for unknown routes and JSON 405 for other methods', async () => {
    const unknown = await call(`${api.endpoint}/nope`, { headers: ada.auth })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.reason).toBe('NOT_FOUND')
    const put = await call(pins, { method: 'PUT', headers: ada.auth })
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('GET, POST')
    expect(put.body.error.reason).toBe('METHOD_NOT_ALLOWED')
    const patch = await call(`${pins}/x`, { method: 'PATCH', headers: ada.auth })
    expect(patch.status).toBe(405)
  })

  it('allows browser clients (CORS preflight and header)', async () => {
    const preflight = await call(pins, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.org', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization')
    const get = await call(pins, { headers: { ...ada.auth, origin: 'https://app.example.org' } })
    expect(get.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('reads a Pin sent with another content type (curl -d) as JSON', async () => {
    const cid = await cidFor('curl')
    const answer = await call(pins, {
      method: 'POST',
      headers: { ...ada.auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ cid }),
    })
    expect(answer.status).toBe(202)
    expect(answer.body.pin.cid).toBe(cid)
  })
})
