import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { pino } from 'pino'
import {
  AppError,
  NotFoundError,
  QuotaExceededError,
  ServiceUnavailableError,
  reasonStatus,
} from './errors.js'
import { createErrorHandler, notFoundHandler } from './error-handler.js'
import { createRequestLogger } from './logger.js'

class DatabaseDown extends Error {}

function appThrowing(error: unknown) {
  const logger = pino({ level: 'silent' })
  const app = express()
  app.use(createRequestLogger(logger))
  app.use(express.json({ limit: '1kb' }))
  app.post('/boom', () => {
    throw error
  })
  app.get('/boom', async () => {
    await Promise.resolve()
    throw error
  })
  app.use(notFoundHandler)
  app.use(
    createErrorHandler({
      logger,
      translators: [
        (e) =>
          e instanceof DatabaseDown
            ? new ServiceUnavailableError('database unavailable')
            : undefined,
      ],
    }),
  )
  return app
}

describe('error middleware', () => {
  it('renders AppErrors as the Pinning API Failure body with the mapped status', async () => {
    const res = await request(appThrowing(new NotFoundError('pin not found'))).get('/boom')
    expect(res.status).toBe(404)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.body).toEqual({ error: { reason: 'NOT_FOUND', details: 'pin not found' } })
  })

  it('maps INSUFFICIENT_FUNDS to 409 as the spec says', async () => {
    const res = await request(appThrowing(new QuotaExceededError('pin quota of 10 reached'))).get(
      '/boom',
    )
    expect(res.status).toBe(409)
    expect(res.body.error.reason).toBe('INSUFFICIENT_FUNDS')
  })

  it('omits empty details rather than sending ""', async () => {
    const res = await request(appThrowing(new AppError('FORBIDDEN'))).get('/boom')
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ error: { reason: 'FORBIDDEN' } })
  })

  it('turns a ZodError into a 400 with a short issue summary', async () => {
    const parsed = z
      .object({ cid: z.string(), limit: z.number().max(1000) })
      .safeParse({ limit: 5000 })
    const res = await request(appThrowing(parsed.error)).get('/boom')
    expect(res.status).toBe(400)
    expect(res.body.error.reason).toBe('BAD_REQUEST')
    expect(res.body.error.details).toContain('cid')
    expect(res.body.error.details).toContain('limit')
  })

  it('answers malformed JSON and oversized bodies in the same format', async () => {
    const app = appThrowing(new Error('unreachable'))
    const bad = await request(app)
      .post('/boom')
      .set('content-type', 'application/json')
      .send('{"cid":')
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({
      error: { reason: 'BAD_REQUEST', details: 'The request body is not valid JSON' },
    })
    const big = await request(app)
      .post('/boom')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(5000) }))
    expect(big.status).toBe(413)
    expect(big.body.error.reason).toBe('PAYLOAD_TOO_LARGE')
  })

  it('applies translators for dependency errors', async () => {
    const res = await request(appThrowing(new DatabaseDown('ECONNREFUSED'))).get('/boom')
    expect(res.status).toBe(503)
    expect(res.body.error.reason).toBe('SERVICE_UNAVAILABLE')
  })

  it('hides unknown errors behind a 500 that carries only the request id', async () => {
    const res = await request(appThrowing(new Error('password=hunter2 at db.internal:5432')))
      .get('/boom')
      .set('x-request-id', 'req-123')
    expect(res.status).toBe(500)
    expect(res.headers['x-request-id']).toBe('req-123')
    expect(res.body).toEqual({
      error: { reason: 'INTERNAL_SERVER_ERROR', details: 'Internal error (request id req-123)' },
    })
  })

  it('answers unknown routes with a JSON 404', async () => {
    const res = await request(appThrowing(new Error('x'))).delete('/nowhere')
    expect(res.status).toBe(404)
    expect(res.body.error.reason).toBe('NOT_FOUND')
  })

  it('has a status for every reason', () => {
    for (const status of Object.values(reasonStatus)) {
      expect(status).toBeGreaterThanOrEqual(400)
      expect(status).toBeLessThan(600)
    }
  })
})
