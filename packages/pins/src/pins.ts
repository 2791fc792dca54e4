/**
 * The pin domain every service uses: pin requests in Postgres (one transaction per change, with
 * the per-user `created` clock, the cross-user CID reference counts and the quota checks), handed
 * to the worker through JetStream with an outbox (see outbox.ts).
 */
import {
  acquireCidReference,
  createBatcher,
  findUserById,
  isDatabaseUnavailableError,
  isUuid,
  nextPinCreated,
  releaseCidReference,
  sumUsage,
  type Database,
  type DbClient,
  type Pin,
  type Tx,
} from '@pinion/db'
import type { Messaging, PinionTopology } from '@pinion/messaging'
import { NotFoundError, QuotaExceededError, type Logger } from '@pinion/service-kit'
import { insertPinsFast, type FastInsertResult } from './insert-pin.js'
import { listPinRows, type PinPage } from './list-pins.js'
import {
  createPublishedMarker,
  publishRemoved,
  publishRequested,
  type OutboxComponents,
} from './outbox.js'
import { toPinStatus, type PinStatus } from './pin-status.js'
import { newPinFields, type NewPin } from './new-pin.js'
import type { PinListFilters } from './schemas.js'

export type { NewPin } from './new-pin.js'

export interface PinsComponents {
  readonly database: Pick<Database, 'prisma'>
  readonly messaging: Messaging<PinionTopology>
  readonly logger: Logger
  /** PinStatus `delegates` (resolveDelegates). */
  readonly delegates: readonly string[]
  /** How long a pin may stay queued/pinning (PIN_DEADLINE_MS); default one hour. */
  readonly deadlineMs?: number
}

export interface Pins {
  readonly delegates: readonly string[]
  /**
   * Records a pin request and hands it to the worker; answers 202-worthy even when NATS is down.
   * @throws QuotaExceededError (INSUFFICIENT_FUNDS) when the user's pin or stored-bytes limit is reached.
   */
  createPin(input: NewPin): Promise<Pin>
  /** @throws NotFoundError for an unknown, deleted or someone else's pin. */
  getPin(userId: string, requestId: string): Promise<Pin>
  listPins(userId: string, filters: PinListFilters): Promise<PinPage>
  /**
   * Replaces a pin: a new row with a new requestid; the old one is deleted (404 from now on).
   * @throws NotFoundError for an unknown, deleted or someone else's pin.
   */
  replacePin(
    userId: string,
    requestId: string,
    input: Omit<NewPin, 'userId' | 'status'>,
  ): Promise<Pin>
  /** @throws NotFoundError for an unknown, deleted or someone else's pin. */
  deletePin(userId: string, requestId: string): Promise<void>
  /** Bytes the user may still store; `undefined` without a limit (zero or less once reached). */
  remainingStoredBytes(userId: string): Promise<bigint | undefined>
  toPinStatus(row: Parameters<typeof toPinStatus>[0]): PinStatus
}

export function createPins(components: PinsComponents): Pins {
  const prisma = components.database.prisma
  const deadlineMs = components.deadlineMs ?? 3_600_000
  const outbox: OutboxComponents = {
    prisma,
    messaging: components.messaging,
    logger: components.logger,
    markPublished: createPublishedMarker(prisma),
  }
  const delegates = [...components.delegates]
  // Concurrent creates share one statement (group commit). A batch that fails for a reason other
  // than the database being unreachable (one input Postgres will not take, a deadlock with another
  // replica's batch) is not the other inputs' fault: each retries alone, in a transaction.
  const fastInserts = createBatcher<NewPin, FastInsertResult>(async (inputs) => {
    try {
      return await insertPinsFast(prisma, inputs, deadlineMs)
    } catch (error) {
      if (isDatabaseUnavailableError(error)) throw error
      components.logger.warn({ err: error, batch: inputs.length }, 'pin batch failed; one by one')
      return inputs.map(() => ({ kind: 'refused-batch' }) as const)
    }
  })

  async function insertPin(tx: Tx, input: NewPin): Promise<Pin> {
    const created = await nextPinCreated(tx, input.userId)
    const pin = await tx.pin.create({
      data: {
        ...newPinFields(input),
        created,
        attempts: 1,
        deadlineAt: new Date(created.getTime() + deadlineMs),
      },
    })
    await acquireCidReference(tx, input.cidKey)
    return pin
  }

  async function findLive(db: DbClient, userId: string, requestId: string): Promise<Pin> {
    if (!isUuid(requestId) || !isUuid(userId)) throw pinNotFound(requestId)
    const pin = await db.pin.findFirst({ where: { id: requestId, userId, deletedAt: null } })
    if (pin === null) throw pinNotFound(requestId)
    return pin
  }

  return {
    delegates,

    async createPin(input) {
      if (!isUuid(input.userId)) throw new NotFoundError('the user does not exist')
      const fast = await fastInserts.add(input)
      if (fast.kind === 'inserted') {
        await publishRequested(outbox, fast.pin)
        return fast.pin
      }
      if (fast.kind === 'no-user') throw new NotFoundError('the user does not exist')
      if (fast.kind === 'over-stored-bytes') throw storageLimit(fast.stored, fast.max)
      // A pin-count limit (count under the clock's lock) or a batch that failed: a transaction.
      const pin = await prisma.$transaction(async (tx) => {
        const limits = await checkStoredBytes(tx, input.userId)
        const row = await insertPin(tx, input)
        // After the clock upsert: it holds the user's lock, so concurrent creates count in turn.
        if (limits.maxPins !== null) await checkPinCount(tx, input.userId, limits.maxPins)
        return row
      })
      await publishRequested(outbox, pin)
      return pin
    },

    getPin: (userId, requestId) => findLive(prisma, userId, requestId),

    async listPins(userId, filters) {
      if (!isUuid(userId)) return { count: 0, rows: [] }
      return listPinRows(prisma, userId, filters)
    },

    async replacePin(userId, requestId, input) {
      const { pin, old } = await prisma.$transaction(async (tx) => {
        const previous = await findLive(tx, userId, requestId)
        // Acquire before release: replacing with the same CID never drops its count to zero.
        // The pin count stays the same; a different CID may add bytes, so that is checked.
        if (input.cidKey !== previous.cidKey) await checkStoredBytes(tx, userId)
        const row = await insertPin(tx, { ...input, userId, status: 'queued' })
        const deletedAt = new Date()
        const { count } = await tx.pin.updateMany({
          where: { id: previous.id, deletedAt: null },
          // published_at null too: the worker's sweeper also reads that as "removal not acked".
          data: { deletedAt, replacedById: row.id, publishedAt: null },
        })
        // Deleted concurrently: the transaction rolls back, the new row goes with it.
        if (count === 0) throw pinNotFound(requestId)
        await releaseCidReference(tx, previous.cidKey)
        return { pin: row, old: { ...previous, deletedAt } }
      })
      await publishRemoved(outbox, old)
      await publishRequested(outbox, pin)
      return pin
    },

    async deletePin(userId, requestId) {
      const removed = await prisma.$transaction(async (tx) => {
        const pin = await findLive(tx, userId, requestId)
        const deletedAt = new Date()
        // Guarded by deleted_at IS NULL: of two concurrent deletes, one releases the reference.
        const { count } = await tx.pin.updateMany({
          where: { id: pin.id, deletedAt: null },
          data: { deletedAt, publishedAt: null },
        })
        if (count === 0) throw pinNotFound(requestId)
        await releaseCidReference(tx, pin.cidKey)
        return { ...pin, deletedAt }
      })
      await publishRemoved(outbox, removed)
    },

    async remainingStoredBytes(userId) {
      const user = await findUserById(prisma, userId)
      if (user?.maxStoredBytes === null || user?.maxStoredBytes === undefined) return undefined
      return user.maxStoredBytes - (await sumUsage(prisma, userId, 'stored_bytes'))
    },

    toPinStatus: (row) => toPinStatus(row, delegates),
  }
}

/**
 * Stored bytes against the user's limit. An API pin's size is unknown until the worker has it, so
 * new pins are refused once the limit is reached rather than predicted.
 *
 * @returns the user's limits, for the pin count check.
 */
async function checkStoredBytes(
  tx: Tx,
  userId: string,
): Promise<{ maxPins: number | null; maxStoredBytes: bigint | null }> {
  const user = await tx.user.findUnique({
    where: { id: userId },
    select: { maxPins: true, maxStoredBytes: true },
  })
  if (user === null) throw new NotFoundError('the user does not exist')
  if (user.maxStoredBytes !== null) {
    const stored = await sumUsage(tx, userId, 'stored_bytes')
    if (stored >= user.maxStoredBytes) throw storageLimit(stored, user.maxStoredBytes)
  }
  return user
}

/** Live pins (the new one included) against the user's limit; call it holding the clock lock. */
async function checkPinCount(tx: Tx, userId: string, maxPins: number): Promise<void> {
  const pins = await tx.pin.count({ where: { userId, deletedAt: null } })
  if (pins > maxPins) {
    throw new QuotaExceededError(
      `pin limit reached: ${maxPins} pins allowed; delete some or ask for a larger quota`,
    )
  }
}

function storageLimit(stored: bigint, max: bigint): QuotaExceededError {
  return new QuotaExceededError(
    `storage limit reached: ${stored} of ${max} bytes stored; ` +
      'delete some pins or ask for a larger quota',
  )
}

function pinNotFound(requestId: string): NotFoundError {
  return new NotFoundError(`no pin with requestid ${requestId.slice(0, 64)}`)
}
