/**
 * The two outbox messages of a pin row, built in one place for everyone who publishes them: the
 * services that create and delete pins (`@pinion/pins`) and the worker's sweeper that publishes
 * them again. Their message ids make a repeat a duplicate JetStream drops (README "Outbox" of
 * `@pinion/pins`).
 */
import type { Messaging } from './messaging.js'
import type { PinionTopology } from './pinion-topology.js'

/** What a `pinion.pins.requested` message is made of. */
export interface RequestedPinRow {
  readonly id: string
  readonly userId: string
  readonly cid: string
  readonly origins: readonly string[]
  readonly created: Date
}

/** What a `pinion.pins.removed` message is made of. */
export interface RemovedPinRow {
  readonly id: string
  readonly userId: string
  readonly cidKey: string
  readonly deletedAt: Date | null
}

/** Publishes publish number `attempt` of a pin's request (id `pin-<id>-<attempt>`). */
export async function publishPinRequested(
  messaging: Pick<Messaging<PinionTopology>, 'publish'>,
  row: RequestedPinRow,
  attempt: number,
): Promise<void> {
  await messaging.publish(
    'pinion.pins.requested',
    {
      requestId: row.id,
      userId: row.userId,
      cid: row.cid,
      origins: [...row.origins],
      attempt,
      requestedAt: row.created.toISOString(),
    },
    { msgId: `pin-${row.id}-${attempt}` },
  )
}

/** Publishes the removal of a deleted or replaced pin (id `rm-<id>`). */
export async function publishPinRemoved(
  messaging: Pick<Messaging<PinionTopology>, 'publish'>,
  row: RemovedPinRow,
): Promise<void> {
  await messaging.publish(
    'pinion.pins.removed',
    {
      requestId: row.id,
      userId: row.userId,
      cidKey: row.cidKey,
      removedAt: (row.deletedAt ?? new Date()).toISOString(),
    },
    { msgId: `rm-${row.id}` },
  )
}
