import { Writable } from 'node:stream'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { withFastRoutes, type FastRoute } from './fast-routes.js'
import { createLogger } from './logger.js'
import { createServiceApp } from './service-app.js'
import { createServiceDeps } from './service-deps.js'

function build(route: FastRoute) {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter(Boolean))
      callback()
    },
  })
  const deps = createServiceDeps(
    'test',
    createLogger({ service: 'test', level: 'info', destination }),
  )
  const app = createServiceApp(deps, {
    mount: (express) =>
      express.get('/thing', (req, res) => res.json({ from: 'express', id: req.id })),
  })
  return { lines, deps, listener: withFastRoutes(deps, app, [route]) }
}

/** Answers `?fast` itself, declines everything else, throws on `?throw`. */
const route: FastRoute = {
  route: '/thing',
  matches: (req) => req.url?.startsWith('/thing') === true,
  async handle(req, res, context) {
    if (req.url?.includes('throw')) throw new Error('boom')
    if (!req.url?.includes('fast')) return false
    res.writeHead(200, [...context.headers, 'Content-Type', 'application/json'])
    res.end(JSON.stringify({ from: 'fast', id: context.requestId }))
    return true
  },
}

describe('withFastRoutes', () => {
  it('answers on the fast route with a request id, a log line and the histogram', async () => {
    const { lines, deps, listener } = build(route)
    const res = await request(listener).get('/thing?fast&token=secret')
    expect(res.body.from).toBe('fast')
    expect(res.headers['x-request-id']).toBe(res.body.id)
    const line = JSON.parse(lines.at(-1) ?? '{}')
    expect(line).toMatchObject({
      msg: 'request completed',
      req: { id: res.body.id, method: 'GET', url: '/thing?fast&token=[redacted]' },
      res: { statusCode: 200 },
    })
    expect(await deps.metrics.registry.metrics()).toMatch(
      /http_request_duration_seconds_count\{service="test",method="GET",route="\/thing",status_code="200"\} 1/,
    )
  })

  it('hands declined and failed requests to the app with the same request id', async () => {
    const { listener } = build(route)
    for (const path of ['/thing', '/thing?throw']) {
      const res = await request(listener).get(path)
      expect(res.body.from).toBe('express')
      expect(res.headers['x-request-id']).toBe(res.body.id)
    }
    const traced = await request(listener).get('/thing').set('x-request-id', 'abc-1')
    expect(traced.body.id).toBe('abc-1')
  })

  it('leaves requests no route matches to the app', async () => {
    const { listener } = build(route)
    expect((await request(listener).get('/healthz')).status).toBe(200)
    expect((await request(listener).get('/other')).status).toBe(404)
  })
})
