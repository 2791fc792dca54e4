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
import type { GithubPins } from '../domain/pins.js'

/**
 * github-bot's pins on Postgres and JetStream until `@pinion/pins` provides them, the way the
 * upload service does it: the pin row (`pinning`, source `github`, its installation) and its CID
 * reference in one transaction, then the request for the worker (a failed publish leaves
 * `published_at` null for the outbox sweeper). Removal soft-deletes the row and tells the worker
 * to drop the reference. The stored-bytes allowance is the user's `max_stored_bytes` less their
 * `stored_bytes` usage.
 */
export function createDatabaseGithubPins(components: {
  database: Database
  messaging: Messaging<PinionTopology>
  logger: Logger
}): GithubPins {
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
            name: request.name.slice(0, 255),
            meta: request.meta,
            status: 'pinning',
            source: 'github',
            githubInstallationId: BigInt(request.installationId),
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
        logger.warn({ err: error, requestId: pin.id }, 'pin request not published yet')
      }
      return { pinId: pin.id }
    },
    async describe(pinId) {
      const pin = await prisma.pin.findUnique({ where: { id: pinId } })
      if (pin === null || pin.deletedAt !== null) return undefined
      return { status: pin.status, source: pin.source }
    },
    async removePin(userId, pinId) {
      const removedAt = new Date()
      const result = await prisma.pin.updateMany({
        where: { id: pinId, userId, deletedAt: null },
        data: { deletedAt: removedAt },
      })
      if (result.count === 0) return
      const pin = await prisma.pin.findUniqueOrThrow({ where: { id: pinId } })
      await messaging.publish(
        'pinion.pins.removed',
        { requestId: pin.id, userId, cidKey: pin.cidKey, removedAt: removedAt.toISOString() },
        { msgId: `unpin-${pin.id}` },
      )
    },
  }
}
