import type { Logger } from '@pinion/service-kit'
import {
  finishedStatuses,
  type EventStatus,
  type IncomingDelivery,
  type StoredEvent,
  type WebhookEvents,
} from './webhook-events.js'

/** The queue between the receiver and the processor (`pinion.github.deliveries`). */
export interface DeliveryQueue {
  /**
   * Hands the stored event to a processor. `attempt` makes the message id unique per queueing,
   * so a requeue is not swallowed by JetStream's duplicate window.
   */
  enqueue(
    delivery: {
      deliveryId: string
      event: string
      action: string | undefined
      installationId: number | undefined
      webhookEventId: string
      receivedAt: Date
    },
    attempt: number,
  ): Promise<void>
}

/**
 * Queues again deliveries that were recorded but sat in `received`/`queued` for `olderThanMs`:
 * the publish failed (NATS was down when GitHub called) or the message was lost. The queue's
 * duplicate window and the processor's status check make a spare message harmless.
 */
export async function requeueStaleDeliveries(
  components: { events: WebhookEvents; queue: DeliveryQueue },
  options: { olderThanMs: number; now?: Date; limit?: number },
): Promise<number> {
  const now = options.now ?? new Date()
  const stale = await components.events.stale(
    new Date(now.getTime() - options.olderThanMs),
    options.limit ?? 100,
  )
  for (const event of stale) {
    // Publish first: when it fails the row stays stale and the next sweep tries again.
    await enqueueEvent(components.queue, event)
    await components.events.transition(event.id, 'queued', { unless: finishedStatuses })
    await components.events.append(event.id, [
      { at: now.toISOString(), level: 'warn', text: 'not processed yet: queued again' },
    ])
  }
  return stale.length
}

/** Hands a recorded event to the processor (its attempt count keeps redeliveries apart). */
function enqueueEvent(queue: DeliveryQueue, event: StoredEvent): Promise<void> {
  return queue.enqueue(
    {
      deliveryId: event.deliveryId,
      event: event.event,
      action: event.action,
      installationId: event.installationId,
      webhookEventId: event.id,
      receivedAt: event.createdAt,
    },
    event.attempts,
  )
}

/** What the receiver did with a delivery. */
export interface ReceiveResult {
  readonly webhookEventId: string
  readonly status: EventStatus
  readonly queued: boolean
}

/**
 * Records a verified delivery by its `X-GitHub-Delivery` id and queues it. A repeat of a
 * finished (`succeeded`/`ignored`) delivery is noted and does nothing; of a failed one, it is
 * queued again; of one being processed, it is noted (the running attempt finishes it). When the
 * queue is unreachable the row stays `queued` and the answer is the same: the event is recorded.
 */
export function createDeliveryReceiver(components: {
  events: WebhookEvents
  queue: DeliveryQueue
  logger: Logger
}) {
  const { events, queue, logger } = components
  const note = (id: string, text: string) =>
    events.append(id, [{ at: new Date().toISOString(), level: 'info', text }])

  return async function receive(delivery: IncomingDelivery): Promise<ReceiveResult> {
    const { event, created } = await events.record(delivery)
    if (!created && finishedStatuses.includes(event.status)) {
      await note(event.id, `redelivered: already ${event.status}, nothing to do`)
      return { webhookEventId: event.id, status: event.status, queued: false }
    }
    if (!created && event.status === 'processing') {
      await note(event.id, 'redelivered while being processed: the running attempt finishes it')
      return { webhookEventId: event.id, status: event.status, queued: false }
    }
    const moved = await events.transition(event.id, 'queued', { unless: finishedStatuses })
    if (!moved) return { webhookEventId: event.id, status: event.status, queued: false }
    await note(event.id, created ? 'received' : `redelivered after ${event.status}: queued again`)
    try {
      await enqueueEvent(queue, event)
    } catch (error) {
      logger.warn({ err: error, deliveryId: event.deliveryId }, 'delivery recorded but not queued')
    }
    return { webhookEventId: event.id, status: 'queued', queued: true }
  }
}
