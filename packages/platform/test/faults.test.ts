import { databaseSchema } from '@pinion/db'
import { natsSchema } from '@pinion/messaging'
import { createLogger, createServiceApp, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import { createTcpProxy, startNatsServer } from '@pinion/testing'
import type { Express } from 'express'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServiceContext } from '../src/index.js'
import { createTestEnvironment, type TestEnvironment } from '../src/testing.js'

const logger = createLogger({ service: 'faults-test', level: 'silent' })
let environment: TestEnvironment

beforeAll(async () => {
  environment = await createTestEnvironment()
})
afterAll(async () => {
  await environment.cleanup()
})

async function readinessWithin(app: Express, status: number, ms: number) {
  const deadline = Date.now() + ms
  let res = await request(app).get('/readyz')
  while (res.status !== status && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    res = await request(app).get('/readyz')
  }
  return res
}

/** A service with one database-backed route, built the way every service builds its deps. */
function buildService(env: Record<string, string>) {
  const { deps, platform } = createServiceContext('faults-test', logger)
  const database = platform.database(parseConfig(databaseSchema, env))
  platform.messaging(parseConfig(natsSchema, env))
  const app = createServiceApp(deps, {
    mount(app) {
      app.get('/users/count', async (_req, res) => {
        res.json({ count: await database.prisma.user.count() })
      })
    },
  })
  return { deps, app }
}

describe('a dependency unreachable at start', () => {
  it('Postgres: the service starts anyway, is not ready, answers 503 fast, and recovers by itself', async () => {
    const url = new URL(environment.env.DATABASE_URL!)
    const proxy = await createTcpProxy({ host: url.hostname, port: Number(url.port || 5432) })
    proxy.cut('reset')
    const { deps, app } = buildService({
      ...environment.env,
      DATABASE_URL: proxy.rewriteUrl(environment.env.DATABASE_URL!),
    })
    await startAll(deps.startables, logger)
    try {
      const notReady = await request(app).get('/readyz')
      expect(notReady.status).toBe(503)
      expect(
        notReady.body.checks.find((check: { name: string }) => check.name === 'database'),
      ).toMatchObject({ ok: false })
      const started = Date.now()
      const refused = await request(app).get('/users/count')
      expect(Date.now() - started).toBeLessThan(1500)
      expect(refused.status).toBe(503)
      expect(refused.body.error.reason).toBe('SERVICE_UNAVAILABLE')

      proxy.restore()
      expect((await readinessWithin(app, 200, 10_000)).status).toBe(200)
      expect((await request(app).get('/users/count')).body).toEqual({ count: 0 })
    } finally {
      await stopAll(deps.startables, logger)
      await proxy.close()
    }
  })

  it('NATS: the service starts anyway, is not ready, and becomes ready when NATS comes up', async () => {
    const nats = await startNatsServer()
    await nats.kill()
    const { deps, app } = buildService({ ...environment.env, NATS_URL: nats.url })
    await startAll(deps.startables, logger)
    try {
      const notReady = await request(app).get('/readyz')
      expect(notReady.status).toBe(503)
      expect(notReady.body.checks.some((check: { ok: boolean }) => !check.ok)).toBe(true)
      await nats.restart()
      expect((await readinessWithin(app, 200, 15_000)).status).toBe(200)
    } finally {
      await stopAll(deps.startables, logger)
      await nats.stop()
    }
  })
})
