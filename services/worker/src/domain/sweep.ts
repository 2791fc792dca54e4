import type { Logger } from '@pinion/service-kit'
import { deadlineExceeded } from './failure-reason.js'
import type { PinRecord, SweepRecords } from './pin-records.js'
import type { PublishStatus } from './status-events.js'

/** Publishes a pin request (`pinion.pins.requested`, msgId `pin-<id>-<attempt>`). */
export type PublishRequest = (pin: PinRecord, attempt: number) => Promise<void>
/** Publishes a pin removal (`pinion.pins.removed`, msgId `rm-<id>`). */
export type PublishRemoval = (pin: PinRecord) => Promise<void>

export interface SweepComponents {
  records: SweepRecords
  publishRequest: PublishRequest
  publishRemoval: PublishRemoval
  publishStatus: PublishStatus
  logger: Logger
  now?: () => number
}

export interface SweepInit {
  /** Unacknowledged rows younger than this are left to the API that is publishing them, in ms. */
  outboxGraceMs: number
  /** Published queued/pinning rows that have not moved for this long are published again, in ms. */
  stallMs: number
  /** Rows per kind and round. */
  batchSize: number
  /** Publishes in flight at once. */
  parallelism?: number
}

/** How many rows each part of one sweep handled. */
export interface SweepReport {
  published: number
  removals: number
  retried: number
  expired: number
  /** Rows whose publish failed this round (NATS down); they stay for the next round. */
  errors: number
}

async function eachLimited<T>(
  items: readonly T[],
  parallelism: number,
  fn: (item: T) => Promise<void>,
): Promise<number> {
  let next = 0
  let errors = 0
  const lanes = Array.from({ length: Math.min(parallelism, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T
      await fn(item).catch(() => {
        errors += 1
      })
    }
  })
  await Promise.all(lanes)
  return errors
}

/**
 * One sweep (the caller makes sure only one instance sweeps at a time):
 * 1. the outbox: publishes requests of live rows JetStream never acknowledged (NATS was down at
 *    POST time), as attempt `attempts + 1`, and records the publish;
 * 2. removals of deleted/replaced rows not yet acknowledged, the same way;
 * 3. re-publishes published queued/pinning rows that stopped moving (their message was given up,
 *    or the worker holding it is gone);
 * 4. fails live queued/pinning rows past their deadline with `info.reason` 'deadline exceeded'
 *    and publishes that status.
 * A publish that fails leaves its row for the next round. Expiry runs last so that a pin has had
 * every chance; it is also what bounds the retries of 3.
 */
export async function sweep(components: SweepComponents, init: SweepInit): Promise<SweepReport> {
  const { records, logger } = components
  const now = components.now ?? Date.now
  const parallelism = init.parallelism ?? 16
  const report: SweepReport = { published: 0, removals: 0, retried: 0, expired: 0, errors: 0 }

  const outboxBefore = new Date(now() - init.outboxGraceMs)
  const unpublished = await records.unpublishedRequests(outboxBefore, init.batchSize)
  report.errors += await eachLimited(unpublished, parallelism, async (pin) => {
    await components.publishRequest(pin, pin.attempts + 1)
    await records.markRequestPublished(pin.id, pin.attempts + 1)
    report.published += 1
  })

  const removals = await records.unpublishedRemovals(outboxBefore, init.batchSize)
  report.errors += await eachLimited(removals, parallelism, async (pin) => {
    await components.publishRemoval(pin)
    await records.markRemovalPublished(pin.id)
    report.removals += 1
  })

  const stalled = await records.stalled(new Date(now() - init.stallMs), init.batchSize)
  report.errors += await eachLimited(stalled, parallelism, async (pin) => {
    await components.publishRequest(pin, pin.attempts + 1)
    await records.markRequestPublished(pin.id, pin.attempts + 1)
    report.retried += 1
  })

  const expired = await records.failExpired(
    new Date(now()),
    { reason: deadlineExceeded },
    init.batchSize,
  )
  report.expired = expired.length
  // The rows are failed already; a lost status event is repeated if the request is redelivered.
  report.errors += await eachLimited(expired, parallelism, components.publishStatus)

  if (report.published + report.removals + report.retried + report.expired + report.errors > 0) {
    logger.info({ ...report }, 'sweep done')
  }
  return report
}
