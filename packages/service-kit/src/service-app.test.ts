import { Writable } from 'node:stream'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createLogger } from './logger.js'
import { createServiceApp } from './service-app.js'
import { createServiceDeps } from './service-deps.js'

function captureLogs() {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter(Boolean))
      callback()
    },
  })
  return { lines, logger: createLogger({ service: 'test', level: 'debug', destination }) }
}

function buildApp(checks: { name: string; ok: boolean | 'hang' }[] = []) {
  const { lines, logger } = captureLogs()
  const deps = createServiceDeps('test', logger)
  for (const check of checks) {
    deps.readinessChecks.push({
      name: check.name,
      check: () =>
        check.ok === 'hang'
          ? new Promise<void>(() => {})
          : check.ok
            ? Promise.resolve()
            : Promise.reject(new Error(`${check.name} refused`)),
    })
  }
  const app = createServiceApp(deps, {
    mount(app) {
      app.get('/things/:id', (req, res) => {
        res.json({ id: req.params.id })
      })
    },
  })
  return { app, deps, lines }
}

describe('createServiceApp', () => {
  it('serves liveness regardless of dependencies', async () => {
    const { app } = buildApp([{ name: 'database', ok: false }])
    const res = await request(app).get('/healthz')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok' })
  })

  it('reports readiness from every check, naming the failing ones', async () => {
    const { app } = buildApp([
      { name: 'database', ok: true },
      { name: 'nats', ok: false },
    ])
    const res = await request(app).get('/readyz')
    expect(res.status).toBe(503)
    expect(res.body.checks).toEqual([
      { name: 'database', ok: true },
      { name: 'nats', ok: false, error: 'nats refused' },
    ])
  })

  it('counts a hanging dependency as not ready within the deadline', async () => {
    const { app } = buildApp([{ name: 'database', ok: 'hang' }])
    const res = await request(app).get('/readyz')
    expect(res.status).toBe(503)
    expect(res.body.checks[0].error).toMatch(/timed out/)
  })

  it('fails readiness once shutdown starts', async () => {
    const { app, deps } = buildApp([{ name: 'database', ok: true }])
    expect((await request(app).get('/readyz')).status).toBe(200)
    deps.state.markShuttingDown()
    expect((await request(app).get('/readyz')).status).toBe(503)
  })

  it('exposes Prometheus metrics with the matched route, not the raw URL', async () => {
    const { app } = buildApp()
    await request(app).get('/things/abc')
    await request(app).get('/things/def')
    const res = await request(app).get('/metrics')
    expect(res.status).toBe(200)
    expect(res.text).toContain(
      'http_request_duration_seconds_count{service="test",method="GET",route="/things/:id",status_code="200"} 2',
    )
    expect(res.text).not.toContain('/things/abc')
  })

  it('logs one line per request with a request id and no credentials', async () => {
    const { app, lines } = buildApp()
    const res = await request(app)
      .get('/things/1?token=s3cr3t-token')
      .set('authorization', 'Bearer s3cr3t-bearer')
      .set('cookie', 'sid=s3cr3t-cookie')
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    const requestLines = lines.filter((line) => line.includes('"req"'))
    expect(requestLines).toHaveLength(1)
    expect(requestLines[0]).toContain(res.headers['x-request-id'])
    expect(lines.join('\n')).not.toMatch(/s3cr3t/)
  })

  it('does not log probe requests', async () => {
    const { app, lines } = buildApp()
    await request(app).get('/healthz')
    await request(app).get('/readyz')
    expect(lines.filter((line) => line.includes('"req"'))).toHaveLength(0)
  })

  it('replaces a malformed incoming request id', async () => {
    const { app } = buildApp()
    const res = await request(app).get('/things/1').set('x-request-id', 'bad id with spaces')
    expect(res.headers['x-request-id']).not.toContain(' ')
  })
})
