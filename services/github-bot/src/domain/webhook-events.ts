/**
 * The event log (`webhook_events`): every verified delivery, its status and the messages written
 * while processing it. The dashboard's GitHub Events page and the account API read the same rows.
 */

export type EventStatus = 'received' | 'queued' | 'processing' | 'succeeded' | 'failed' | 'ignored'
export type MessageLevel = 'info' | 'warn' | 'error'

/** One line of the event's `messages` array. */
export interface EventMessage {
  /** ISO 8601, UTC. */
  readonly at: string
  readonly level: MessageLevel
  readonly text: string
}

/** A verified delivery as received. */
export interface IncomingDelivery {
  /** `X-GitHub-Delivery`. */
  readonly deliveryId: string
  /** `X-GitHub-Event`. */
  readonly event: string
  readonly action: string | undefined
  readonly installationId: number | undefined
  readonly repositoryFullName: string | undefined
  readonly payload: unknown
}

export interface StoredEvent extends IncomingDelivery {
  /** The row id (`webhookEventId` on the queue). */
  readonly id: string
  readonly status: EventStatus
  readonly attempts: number
  readonly createdAt: Date
}

export interface WebhookEvents {
  /** Inserts the delivery (`received`), or finds the existing row of the same delivery id. */
  record(delivery: IncomingDelivery): Promise<{ event: StoredEvent; created: boolean }>
  find(id: string): Promise<StoredEvent | undefined>
  /**
   * Moves the row to `status` unless it is in one of `unless` (compare-and-set, so two
   * processors of the same delivery do not both start). Answers whether it moved.
   */
  transition(
    id: string,
    status: EventStatus,
    options?: { unless?: readonly EventStatus[]; countAttempt?: boolean; processed?: boolean },
  ): Promise<boolean>
  /** Appends messages to the row. */
  append(id: string, messages: readonly EventMessage[]): Promise<void>
  /** Appends messages to the row of a delivery id (no-op when there is none). */
  appendByDelivery(deliveryId: string, messages: readonly EventMessage[]): Promise<void>
  /** Rows in `received`/`queued` not touched since `before` (recorded, but maybe never queued). */
  stale(before: Date, limit: number): Promise<StoredEvent[]>
  /** Records the Pinion user the event belongs to (the installation's owner). */
  setUser(id: string, userId: string): Promise<void>
}

/** Statuses after which a delivery is done: a redelivery of such an event does nothing. */
export const finishedStatuses: readonly EventStatus[] = ['succeeded', 'ignored']
