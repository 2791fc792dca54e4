import {
  acquireCidReference,
  findUserById,
  nextPinCreated,
  sumUsage,
  type Database,
} from '@pinion/db'
import type { Messaging, PinionTopology } from '@pinion/messaging'
import type { Logger } from '@pinion/service-kit'
import { CID } from 'multiformats/cid'
import type { PinRequests, PinStatusBody } from '../domain/pins.js'

/**
 * Upload's pins on Postgres and JetStream until `@pinion/pins` provides them: a pin row
 * (`pinning`, source `upload`) and its CID reference in one transaction, then the request for the
 * worker, published with the row id as message id and marked published (a row whose publish
 * failed keeps `published_at` null for the outbox sweeper). The stored-bytes allowance is the
 * user's `max_stored_bytes` less their `stored_bytes` usage.
 */
export function createDatabasePinRequests(components: {
  database: Database
  messaging: Messaging<PinionTopology>
  logger: Logger
}): PinRequests {
  const { database, messaging, logger } = components
  const prisma = database.prisma
  return {
    async remainingStoredBytes(userId) {
      const user = await findUserById(prisma, userId)
      if (user?.maxStoredBytes === null || user?.maxStoredBytes === undefined) return undefined
      return user.maxStoredBytes - (await sumUsage(prisma, userId, 'stored_bytes'))
    },
    async requestPin(request) {
      const cidKey = CID.parse(request.cid).toV1().toString()
      const pin = await prisma.$transaction(async (tx) => {
        const created = await nextPinCreated(tx, request.userId)
        const row = await tx.pin.create({
          data: {
            userId: request.userId,
            cid: request.cid,
            cidKey,
            name: request.name ?? null,
            meta: request.meta,
            status: request.status,
            source: request.source,
            created,
          },
        })
        await acquireCidReference(tx, cidKey)
        return row
      })
      try {
        await messaging.publish(
          'pinion.pins.requested',
          {
            requestId: pin.id,
            userId: pin.userId,
            cid: pin.cid,
            origins: [],
            attempt: 1,
            requestedAt: pin.created.toISOString(),
          },
          { msgId: `pin-${pin.id}-1` },
        )
        await prisma.pin.update({ where: { id: pin.id }, data: { publishedAt: new Date() } })
      } catch (error) {
        // The row stands (the content is stored and readable); the sweeper publishes it later.
        logger.warn({ err: error, requestId: pin.id }, 'pin request not published yet')
      }
      const body: PinStatusBody = {
        requestid: pin.id,
        status: 'pinning',
        created: pin.created.toISOString(),
        pin: { cid: pin.cid, ...(pin.name === null ? {} : { name: pin.name }) },
        delegates: [],
      }
      return body
    },
  }
}
