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
import {
  publishPinRemoved,
  publishPinRequested,
  type Messaging,
  type PinionTopology,
  type RemovedPinRow,
  type RequestedPinRow,
} from '@pinion/messaging'
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

/**
 * Runs one publish of the outbox; false (and a warning) when JetStream did not take it, which
 * leaves the row for the sweeper.
 */
async function published(
  logger: Logger,
  row: { readonly id: string },
  what: string,
  publish: () => Promise<void>,
): Promise<boolean> {
  try {
    await publish()
    return true
  } catch (error) {
    logger.warn({ err: error, requestId: row.id }, `${what} not published; the sweeper will`)
    return false
  }
}

/** Publishes the first `pinion.pins.requested` of a new row; true when JetStream acknowledged it. */
export async function publishRequested(
  components: OutboxComponents,
  row: RequestedPinRow,
): Promise<boolean> {
  const { messaging, logger } = components
  if (!(await published(logger, row, 'pin request', () => publishPinRequested(messaging, row, 1))))
    return false
  // Only if nothing newer happened: the sweeper may already have re-published (attempts > 1).
  await components.markPublished.add(row.id)
  return true
}

/** Publishes `pinion.pins.removed` of a deleted or replaced row; true when acknowledged. */
export async function publishRemoved(
  components: OutboxComponents,
  row: RemovedPinRow,
): Promise<boolean> {
  const { prisma, messaging, logger } = components
  if (!(await published(logger, row, 'pin removal', () => publishPinRemoved(messaging, row))))
    return false
  await prisma.pin.updateMany({
    where: { id: row.id, removalPublishedAt: null },
    data: { removalPublishedAt: new Date(), publishedAt: new Date() },
  })
  return true
}
