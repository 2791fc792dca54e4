import { randomUUID } from 'node:crypto'
import { sign } from '@octokit/webhooks-methods'

/** A webhook delivery as GitHub sends it: the exact body and its headers. */
export interface SignedDelivery {
  readonly deliveryId: string
  readonly body: string
  readonly headers: Record<string, string>
}

/**
 * Signs `payload` with `secret` the way GitHub does (`X-Hub-Signature-256`: HMAC-SHA256 of the
 * raw body). Reuse `deliveryId` to imitate a redelivery.
 */
export async function signedDelivery(
  event: string,
  payload: unknown,
  secret: string,
  deliveryId: string = randomUUID(),
): Promise<SignedDelivery> {
  const body = JSON.stringify(payload)
  return {
    deliveryId,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/pinion-test',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': await sign(secret, body),
    },
  }
}
