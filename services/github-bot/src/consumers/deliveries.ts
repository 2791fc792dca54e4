import type { AttachedMessaging } from '@pinion/platform'
import type { Startable } from '@pinion/service-kit'
import type { ProcessOptions } from '../domain/delivery-processor.js'

/**
 * The `github-bot-deliveries` consumer: each message names a stored webhook event; the processor
 * does the rest (and decides that a finished event needs nothing).
 */
export function createDeliveriesConsumer(components: {
  messaging: AttachedMessaging['messaging']
  process: (eventId: string, options: ProcessOptions) => Promise<void>
  /** Records that the queue gave up on the event (its row must not stay `processing`). */
  giveUp: (eventId: string, error: unknown) => Promise<void>
  concurrency: number
}): Startable {
  return components.messaging.consume({
    consumer: 'github-bot-deliveries',
    concurrency: components.concurrency,
    handler: (delivery, context) =>
      components.process(delivery.webhookEventId, {
        heartbeat: () => context.working(),
        signal: context.signal,
      }),
    onExhausted: (delivery, info) => components.giveUp(delivery.webhookEventId, info.error),
  })
}
