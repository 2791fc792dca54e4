import { sign } from '@octokit/webhooks-methods'
import { createErrorHandler, createLogger } from '@pinion/service-kit'
import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import type { IncomingDelivery } from '../domain/webhook-events.js'
import { signedDelivery } from '../testing/deliveries.js'
import { createWebhookRouter } from './webhooks.js'

function appWith(secret: string | undefined, received: IncomingDelivery[] = []) {
  const app = express()
  app.use(
    createWebhookRouter({
      secret,
      receive: async (delivery) => {
        received.push(delivery)
        return { webhookEventId: 'row', status: 'queued', queued: true }
      },
    }),
  )
  app.use(createErrorHandler({ logger: createLogger({ service: 'test', level: 'silent' }) }))
  return app
}

describe('POST /github/webhooks', () => {
  it('answers 503 while no App is configured', async () => {
    const response = await request(appWith(undefined)).post('/github/webhooks').send({})
    expect(response.status).toBe(503)
    expect(response.body.error.reason).toBe('SERVICE_UNAVAILABLE')
  })

  it('reads the identity fields from the verified raw body, as sent', async () => {
    const received: IncomingDelivery[] = []
    const payload = {
      action: 'published',
      installation: { id: 7 },
      repository: { full_name: 'o/r' },
    }
    const delivery = await signedDelivery('release', payload, 'secret', 'guid-1')
    const response = await request(appWith('secret', received))
      .post('/github/webhooks')
      .set(delivery.headers)
      .send(delivery.body)
    expect(response.status).toBe(202)
    expect(received).toEqual([
      {
        deliveryId: 'guid-1',
        event: 'release',
        action: 'published',
        installationId: 7,
        repositoryFullName: 'o/r',
        payload,
      },
    ])
  })

  it('refuses a signed body that is not application/json (415) or not JSON (400)', async () => {
    const form = await signedDelivery('ping', {}, 'secret')
    const notJson = await request(appWith('secret'))
      .post('/github/webhooks')
      .set({ ...form.headers, 'content-type': 'application/x-www-form-urlencoded' })
      .send(form.body)
    expect(notJson.status).toBe(415)
    const broken = await signedDelivery('ping', {}, 'secret')
    const body = '{"zen": '
    const bad = await request(appWith('secret'))
      .post('/github/webhooks')
      .set({ ...broken.headers, 'x-hub-signature-256': await sign('secret', body) })
      .send(body)
    expect(bad.status).toBe(400)
  })
})
