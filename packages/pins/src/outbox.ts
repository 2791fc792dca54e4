/**
 * The JetStream half of the transactional outbox. The row is committed first; then the message is
 * published and the row marked. A publish that fails (NATS down, no ack) leaves the marker null
 * and the worker's sweeper publishes it later, so the caller never fails because of NATS.
 *
 * Contract with the sweeper (README.md "Outbox"):
 * - requests: `attempts` holds the number of the latest publish (1 at insert); message id
 *   `pin-<id>-<attempts>`; `published_at` null = not acknowledged yet.
 * - removals: message id `rm-<id>`; `removal_published_at` null on a deleted row = not acknowledged
 *   (`published_at` is cleared and set with it, for sweepers that read that column instead).
 */
import { createBatcher, type Batcher, type DbClient } from '@pinion/db'
import type { Messaging, PinionTopology } from '@pinion/messaging'
import type { Logger } from '@pinion/service-kit'

export interface OutboxComponents {
  readonly prisma: DbClient
  readonly messaging: Messaging<PinionTopology>
  readonly logger: Logger
  /** Sets `published_at` of first publishes, batched (see {@link createPublishedMarker}). */
  readonly markPublished: Batcher<string>
}

/**
 * Marks rows whose first request JetStream acknowledged, many per statement. Only if nothing
 * newer happened: the sweeper may already have re-published a row (attempts > 1).
 */
export function createPublishedMarker(prisma: DbClient): Batcher<string> {
  return createBatcher<string>(async (ids) => {
    await prisma.$executeRaw`
      UPDATE pins SET published_at = now(), updated_at = now()
      WHERE id = ANY(${ids}::uuid[]) AND published_at IS NULL AND attempts = 1`
  })
}

/** What a request message is made of. */
export interface RequestedRow {
  readonly id: string
  readonly userId: string
  readonly cid: string
  readonly origins: readonly string[]
  readonly created: Date
}

/** Publishes the first `pinion.pins.requested` of a new row; true when JetStream acknowledged it. */
export async function publishRequested(
  components: OutboxComponents,
  row: RequestedRow,
): Promise<boolean> {
  const { messaging, logger } = components
  try {
    await messaging.publish(
      'pinion.pins.requested',
      {
        requestId: row.id,
        userId: row.userId,
        cid: row.cid,
        origins: [...row.origins],
        attempt: 1,
        requestedAt: row.created.toISOString(),
      },
      { msgId: `pin-${row.id}-1` },
    )
  } catch (error) {
    logger.warn({ err: error, requestId: row.id }, 'pin request not published; the sweeper will')
    return false
  }
  // Only if nothing newer happened: the sweeper may already have re-published (attempts > 1).
  await components.markPublished.add(row.id)
  return true
}

/** What a removal message is made of. */
export interface RemovedRow {
  readonly id: string
  readonly userId: string
  readonly cidKey: string
  readonly deletedAt: Date
}

/** Publishes `pinion.pins.removed` of a deleted or replaced row; true when acknowledged. */
export async function publishRemoved(
  components: OutboxComponents,
  row: RemovedRow,
): Promise<boolean> {
  const { prisma, messaging, logger } = components
  try {
    await messaging.publish(
      'pinion.pins.removed',
      {
        requestId: row.id,
        userId: row.userId,
        cidKey: row.cidKey,
        removedAt: row.deletedAt.toISOString(),
      },
      { msgId: `rm-${row.id}` },
    )
  } catch (error) {
    logger.warn({ err: error, requestId: row.id }, 'pin removal not published; the sweeper will')
    return false
  }
  await prisma.pin.updateMany({
    where: { id: row.id, removalPublishedAt: null },
    data: { removalPublishedAt: new Date(), publishedAt: new Date() },
  })
  return true
}
