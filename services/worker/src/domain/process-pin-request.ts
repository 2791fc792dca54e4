import type { Blockstore } from '@pinion/blockstore'
import type { Logger } from '@pinion/service-kit'
import { CID } from 'multiformats/cid'
import { deadlineExceeded, failureReason } from './failure-reason.js'
import type { PinRecord, PinRecords } from './pin-records.js'
import type { PublishStatus } from './status-events.js'
import { unpinIfUnreferenced } from './process-removal.js'

export interface PinRequestComponents {
  records: PinRecords
  blockstore: Pick<Blockstore, 'pin' | 'unpin'>
  publishStatus: PublishStatus
  logger: Logger
  now?: () => number
}

export interface PinRequestInit {
  /** Deadline given to a pin whose row has none (`PIN_FETCH_TIMEOUT_MS`), in ms. */
  defaultDeadlineMs: number
  /** Least time between two "still moving" writes to the row during one fetch, in ms. */
  touchIntervalMs: number
}

/** What the consume loop hands over with a request. */
export interface PinJob {
  requestId: string
  signal: AbortSignal
  /** Resets the message's ack timer (a progress ack). */
  working(): void
}

/** What became of a request. */
export type PinOutcome = 'pinned' | 'failed' | 'skipped'

const isFinal = (pin: PinRecord) => pin.status === 'pinned' || pin.status === 'failed'
const isRemoved = (pin: PinRecord) => pin.deletedAt !== null || pin.replacedById !== null

/**
 * Runs one pin request through the lifecycle: queued → pinning → pinned (DAG size recorded) or
 * failed (reason in `info`), publishing each change. Idempotent: a request for a removed pin is
 * skipped, one for a final pin only repeats its status (the earlier run may have died between the
 * commit and the publish), and every transition is conditional in the database, so however often
 * a request is delivered, a pin reaches `pinned` once.
 *
 * @throws when a dependency is unavailable (database, NATS, the blockstore backend) or on abort:
 *   the caller retries later; nothing final was recorded then.
 */
export async function processPinRequest(
  components: PinRequestComponents,
  init: PinRequestInit,
  job: PinJob,
): Promise<PinOutcome> {
  const { records, blockstore, publishStatus, logger } = components
  const now = components.now ?? Date.now
  // The hot path starts with the transition; only a request that cannot move reads the row.
  const started = await records.startPinning(
    job.requestId,
    new Date(now() + init.defaultDeadlineMs),
  )
  if (started === undefined) {
    const pin = await records.find(job.requestId)
    // A final pin only repeats its status: the run that finished it may have died before that.
    if (pin !== undefined && !isRemoved(pin) && isFinal(pin)) await publishStatus(pin)
    return 'skipped'
  }
  const { pin } = started

  const fail = async (reason: string): Promise<PinOutcome> => {
    const failed = await records.markFailed(pin.id, { reason })
    if (failed === undefined) return 'skipped'
    logger.info({ requestId: pin.id, cid: pin.cid, reason }, 'pin failed')
    await publishStatus(failed)
    return 'failed'
  }

  // Announced while the blockstore works; awaited before anything final is recorded.
  const announced = started.previous === 'pinning' ? Promise.resolve() : publishStatus(pin)
  announced.catch(() => {})
  let cid: CID
  try {
    cid = CID.parse(pin.cid)
  } catch {
    await announced
    return fail('not a valid CID')
  }
  const remainingMs = pin.deadlineAt.getTime() - now()
  if (remainingMs <= 0) {
    await announced
    return fail(deadlineExceeded)
  }

  let lastTouch = now()
  let size: number
  try {
    const result = await blockstore.pin(cid, {
      origins: pin.origins,
      deadlineMs: remainingMs,
      signal: job.signal,
      onProgress: () => {
        job.working()
        if (now() - lastTouch < init.touchIntervalMs) return
        lastTouch = now()
        records.touch(pin.id).catch((error: unknown) => {
          logger.debug({ err: error, requestId: pin.id }, 'progress not recorded')
        })
      },
    })
    size = result.size.bytes
  } catch (error) {
    await announced
    const reason = job.signal.aborted ? undefined : failureReason(error)
    if (reason === undefined) throw error
    return fail(reason)
  }
  await announced

  const pinned = await records.markPinned(pin.id, size)
  if (pinned !== undefined) {
    logger.info({ requestId: pin.id, cid: pin.cid, dagSize: size }, 'pin pinned')
    await publishStatus(pinned)
    return 'pinned'
  }
  // The pin was deleted or replaced while we fetched: its removal may have found nothing to unpin
  // yet, so undo our pin unless another pin references the CID.
  const latest = await records.find(pin.id)
  if (latest === undefined || isRemoved(latest)) {
    await unpinIfUnreferenced(components, pin.cidKey, job.signal)
  }
  return 'skipped'
}
