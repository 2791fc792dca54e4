import { verify } from '@octokit/webhooks-methods'
import { AppError, BadRequestError, ServiceUnavailableError } from '@pinion/service-kit'
import express, { Router } from 'express'
import type { ReceiveResult } from '../domain/delivery-receiver.js'
import { storedPayload } from '../domain/stored-payload.js'
import type { IncomingDelivery } from '../domain/webhook-events.js'

/** A delivery whose `X-Hub-Signature-256` is missing or wrong. */
export class InvalidSignatureError extends AppError {
  constructor() {
    super('UNAUTHORIZED', {
      details: 'X-Hub-Signature-256 does not match the body and the webhook secret',
    })
  }
}

export interface WebhookRouteComponents {
  /** The webhook secret; undefined when no App is configured (the route answers 503). */
  readonly secret: string | undefined
  readonly receive: (delivery: IncomingDelivery) => Promise<ReceiveResult>
}

/** A delivery that is not `application/json` (App webhooks always are). */
export class UnsupportedWebhookMediaTypeError extends AppError {
  constructor() {
    super('UNSUPPORTED_MEDIA_TYPE', { details: 'webhooks must be sent as application/json' })
  }
}

/** GitHub's payload cap (larger payloads are not delivered at all). */
const maxPayload = '25mb'

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)

/**
 * `POST /github/webhooks`: checks `X-Hub-Signature-256` over the raw body (401, nothing
 * recorded, when it does not match), records the delivery by `X-GitHub-Delivery`, queues it and
 * answers 202 at once; the processing happens in the `github-bot-deliveries` consumer. The raw
 * parser is mounted on this route only: a JSON parser in front would change the bytes signed.
 */
export function createWebhookRouter(components: WebhookRouteComponents): Router {
  const router = Router()
  router.post(
    '/github/webhooks',
    express.raw({ type: () => true, limit: maxPayload }),
    async (req, res) => {
      if (components.secret === undefined) {
        throw new ServiceUnavailableError('no GitHub App is configured (GITHUB_APP_ID)')
      }
      const signature = header(req.headers['x-hub-signature-256'])
      const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : ''
      if (
        signature === undefined ||
        !(await verify(components.secret, body, signature).catch(() => false))
      ) {
        throw new InvalidSignatureError()
      }
      const event = header(req.headers['x-github-event'])
      const deliveryId = header(req.headers['x-github-delivery'])
      if (event === undefined || deliveryId === undefined || deliveryId.length > 200) {
        throw new BadRequestError('X-GitHub-Event and X-GitHub-Delivery are required')
      }
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        throw new UnsupportedWebhookMediaTypeError()
      }
      let payload: Record<string, unknown>
      try {
        payload = JSON.parse(body) as Record<string, unknown>
      } catch {
        throw new BadRequestError('the body is not JSON')
      }
      const result = await components.receive(describe(deliveryId, event, payload))
      res.status(202).json({ deliveryId, status: result.status, queued: result.queued })
    },
  )
  return router
}

function describe(
  deliveryId: string,
  event: string,
  payload: Record<string, unknown>,
): IncomingDelivery {
  const action = typeof payload.action === 'string' ? payload.action : undefined
  const installation = payload.installation as { id?: unknown } | undefined
  const repository = payload.repository as { full_name?: unknown } | undefined
  return {
    deliveryId,
    event,
    action,
    installationId: typeof installation?.id === 'number' ? installation.id : undefined,
    repositoryFullName:
      typeof repository?.full_name === 'string' ? repository.full_name : undefined,
    payload: storedPayload(payload),
  }
}
