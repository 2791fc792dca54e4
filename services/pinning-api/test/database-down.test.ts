/**
 * Postgres unreachable (the service's link cut by a TCP proxy; the shared server keeps running):
 * every operation answers 503 in the Pinning API error format, and the service recovers by itself
 * when the link returns.
 */
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createTcpProxy, type CutMode, type TcpProxy } from '@pinion/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  call,
  cidFor,
  postJson,
  startPinningApi,
  type RunningPinningApi,
  type TestUser,
} from './helpers/service.js'

let environment: TestEnvironment
let proxy: TcpProxy
let api: RunningPinningApi
let user: TestUser
let existing: string

beforeAll(async () => {
  environment = await createTestEnvironment()
  const url = new URL(environment.env.DATABASE_URL!)
  proxy = await createTcpProxy({ host: url.hostname, port: Number(url.port || 5432) })
  api = await startPinningApi(
    { DATABASE_URL: proxy.rewriteUrl(environment.env.DATABASE_URL!) },
    { environment },
  )
  user = await api.newUser()
  existing = (await postJson(`${api.endpoint}/pins`, user.auth, { cid: await cidFor('kept') })).body
    .requestid
})
afterAll(async () => {
  await api.stop()
  await proxy.close()
  await environment.cleanup()
})

async function everyOperation() {
  const pins = `${api.endpoint}/pins`
  return Promise.all([
    call(pins, { headers: user.auth }),
    postJson(pins, user.auth, { cid: await cidFor('during outage') }),
    call(`${pins}/${existing}`, { headers: user.auth }),
    postJson(`${pins}/${existing}`, user.auth, { cid: await cidFor('replacement') }),
    call(`${pins}/${existing}`, { method: 'DELETE', headers: user.auth }),
  ])
}

describe.each<CutMode>(['reset', 'blackhole'])('Postgres unreachable (%s)', (mode) => {
  it('answers 503 JSON to every operation, then recovers by itself', async () => {
    proxy.cut(mode)
    try {
      for (const answer of await everyOperation()) {
        expect(answer.status).toBe(503)
        expect(answer.headers.get('content-type')).toMatch(/^application\/json/)
        expect(answer.body.error.reason).toBe('SERVICE_UNAVAILABLE')
        expect(answer.body.error.details.length).toBeGreaterThan(0)
      }
    } finally {
      proxy.restore()
    }
    // Recovery: no restart, the pool reconnects on its own.
    let status = 0
    for (let attempt = 0; attempt < 100 && status !== 200; attempt += 1) {
      status = (await call(`${api.endpoint}/pins/${existing}`, { headers: user.auth })).status
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200))
    }
    expect(status).toBe(200)
    const created = await postJson(`${api.endpoint}/pins`, user.auth, { cid: await cidFor(mode) })
    expect(created.status).toBe(202)
    // The outage changed nothing: the pin is still there, unreplaced and undeleted.
    const pin = await api.deps.database.prisma.pin.findUniqueOrThrow({ where: { id: existing } })
    expect(pin.deletedAt).toBeNull()
  })
})
