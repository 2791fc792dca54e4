import { authSchema, generateSigningKey } from '@pinion/auth'
import { createApiToken, createUser, revokeApiToken, type Database } from '@pinion/db'
import { createTestDatabase, type TestDatabase } from '@pinion/db/testing'
import { natsSchema } from '@pinion/messaging'
import {
  createLogger,
  createServiceApp,
  createServiceDeps,
  parseConfig,
  startAll,
  stopAll,
  type ServiceDeps,
} from '@pinion/service-kit'
import { cleanupNamespace, natsUrl, uniqueNamespace } from '@pinion/testing'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  attachAuth,
  attachDatabase,
  attachMessaging,
  type AttachedMessaging,
} from '../src/index.js'

const ConfigSchema = z.object({ ...authSchema.shape, ...natsSchema.shape })

let testDb: TestDatabase
let deps: ServiceDeps
let database: Database
let messaging: AttachedMessaging
let app: ReturnType<typeof createServiceApp>
let issue: (scopes: string[]) => Promise<{ id: string; jwt: string }>
const namespace = uniqueNamespace()

beforeAll(async () => {
  testDb = await createTestDatabase()
  const key = generateSigningKey()
  const config = parseConfig(ConfigSchema, {
    AUTH_SIGNING_KEY: key.privateKeyPem,
    AUTH_REVOCATION_POLL_MS: '300',
    AUTH_REVOCATION_CACHE_MS: '300',
    NATS_URL: natsUrl(),
    NATS_NAMESPACE: namespace,
  })
  deps = createServiceDeps(
    'platform-test',
    createLogger({ service: 'platform-test', level: 'silent' }),
  )
  database = attachDatabase(deps, { DATABASE_URL: testDb.url, DATABASE_POOL_MAX: 4 })
  messaging = attachMessaging(deps, config, { name: 'platform-test' })
  const auth = await attachAuth(deps, config, { database, messaging })
  await startAll(deps.startables, deps.logger)
  const user = await createUser(database.prisma, { email: 'ada@example.org', displayName: 'Ada' })
  issue = async (scopes) => {
    const row = await createApiToken(database.prisma, { userId: user.id, name: 'laptop', scopes })
    const jwt = await auth.issuer!.issueApiToken({
      userId: user.id,
      tokenId: row.id,
      scopes: scopes as never,
    })
    return { id: row.id, jwt }
  }
  app = createServiceApp(deps, {
    mount(app) {
      app.get('/pins', auth.requireToken('pinning'), (req, res) => {
        res.json({ user: req.auth?.userId })
      })
    },
  })
})

afterAll(async () => {
  await stopAll(deps.startables, deps.logger)
  await testDb.drop()
  await cleanupNamespace(natsUrl(), namespace)
})

async function statusWithin(jwt: string, expected: number, ms: number): Promise<number> {
  const deadline = Date.now() + ms
  let status = 0
  while (Date.now() < deadline) {
    status = (await request(app).get('/pins').set('authorization', `Bearer ${jwt}`)).status
    if (status === expected) return status
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return status
}

describe('platform wiring', () => {
  it('reports ready once Postgres and NATS answer', async () => {
    const deadline = Date.now() + 10_000
    let res = await request(app).get('/readyz')
    while (res.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      res = await request(app).get('/readyz')
    }
    expect(res.status).toBe(200)
    expect(res.body.checks.map((check: { name: string }) => check.name).sort()).toEqual(
      [...deps.readinessChecks.map((check) => check.name)].sort(),
    )
  })

  it('accepts a valid token and rejects a token lacking the scope with 403', async () => {
    const good = await issue(['pinning'])
    const res = await request(app).get('/pins').set('authorization', `Bearer ${good.jwt}`)
    expect(res.status).toBe(200)
    const other = await issue(['gateway'])
    expect(
      (await request(app).get('/pins').set('authorization', `Bearer ${other.jwt}`)).status,
    ).toBe(403)
  })

  it('rejects a token revoked in the database within 5 s (polling)', async () => {
    const token = await issue(['pinning'])
    expect(
      (await request(app).get('/pins').set('authorization', `Bearer ${token.jwt}`)).status,
    ).toBe(200)
    await revokeApiToken(database.prisma, { id: token.id })
    expect(await statusWithin(token.jwt, 401, 5000)).toBe(401)
  })

  it('rejects a token at once when its revocation is announced over NATS', async () => {
    const token = await issue(['pinning'])
    expect(
      (await request(app).get('/pins').set('authorization', `Bearer ${token.jwt}`)).status,
    ).toBe(200)
    // Announce without touching the database: only the push path can explain a 401 now.
    await messaging.messaging.publish(
      'pinion.tokens.revoked',
      { tokenId: token.id, at: new Date().toISOString() },
      { msgId: `revoke:${token.id}` },
    )
    expect(await statusWithin(token.jwt, 401, 1500)).toBe(401)
  })
})
