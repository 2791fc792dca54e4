import {
  acquireCidReference,
  createUser,
  nextPinCreated,
  releaseCidReference,
  type Pin,
  type PrismaClient,
} from '@pinion/db'
import type { Messaging, PinionTopology } from '@pinion/messaging'
import { CID } from 'multiformats/cid'

/**
 * Pin rows made the way the APIs make them (services/upload/src/adapters/database-pins.ts), for
 * tests until `@pinion/pins` is on main: the row and its CID reference in one transaction, then
 * the request published (msgId `pin-<id>-1`) and `published_at` set. Without `messaging`, or
 * when the publish fails, the row stays unpublished for the sweeper.
 */
export async function createPinRow(
  prisma: PrismaClient,
  messaging: Pick<Messaging<PinionTopology>, 'publish'> | undefined,
  request: { userId: string; cid: string; origins?: string[]; deadlineAt?: Date },
): Promise<Pin> {
  const cidKey = CID.parse(request.cid).toV1().toString()
  const pin = await prisma.$transaction(async (tx) => {
    const row = await tx.pin.create({
      data: {
        userId: request.userId,
        cid: request.cid,
        cidKey,
        origins: request.origins ?? [],
        deadlineAt: request.deadlineAt ?? null,
        created: await nextPinCreated(tx, request.userId),
      },
    })
    await acquireCidReference(tx, cidKey)
    return row
  })
  if (messaging === undefined) return pin
  try {
    await messaging.publish(
      'pinion.pins.requested',
      {
        requestId: pin.id,
        userId: pin.userId,
        cid: pin.cid,
        origins: pin.origins,
        attempt: 1,
        requestedAt: pin.created.toISOString(),
      },
      { msgId: `pin-${pin.id}-1` },
    )
    return await prisma.pin.update({ where: { id: pin.id }, data: { publishedAt: new Date() } })
  } catch {
    return pin
  }
}

/**
 * Deletes a pin as the API does (the removal contract in the worker's README): in one transaction
 * the row is soft-deleted (guarded, so a repeat releases nothing), its reference released and
 * `published_at` cleared; then the removal is published (msgId `rm-<id>`) and `published_at` set.
 */
export async function deletePinRow(
  prisma: PrismaClient,
  messaging: Pick<Messaging<PinionTopology>, 'publish'>,
  id: string,
  replacedById: string | null = null,
): Promise<void> {
  const removed = await prisma.$transaction(async (tx) => {
    const { count } = await tx.pin.updateMany({
      where: { id, deletedAt: null },
      data: { deletedAt: new Date(), replacedById, publishedAt: null },
    })
    const row = await tx.pin.findUniqueOrThrow({ where: { id } })
    if (count === 1) await releaseCidReference(tx, row.cidKey)
    return row
  })
  await messaging.publish(
    'pinion.pins.removed',
    {
      requestId: removed.id,
      userId: removed.userId,
      cidKey: removed.cidKey,
      removedAt: (removed.deletedAt ?? new Date()).toISOString(),
    },
    { msgId: `rm-${removed.id}` },
  )
  await prisma.pin.update({ where: { id }, data: { publishedAt: new Date() } })
}

/** Replaces a pin as the API does: a new pin of `cid`, then the old one removed as replaced. */
export async function replacePinRow(
  prisma: PrismaClient,
  messaging: Pick<Messaging<PinionTopology>, 'publish'>,
  id: string,
  cid: string,
): Promise<Pin> {
  const old = await prisma.pin.findUniqueOrThrow({ where: { id } })
  const next = await createPinRow(prisma, messaging, { userId: old.userId, cid })
  await deletePinRow(prisma, messaging, id, next.id)
  return next
}

let users = 0

/** A fresh user. */
export async function createTestUser(prisma: PrismaClient): Promise<{ id: string }> {
  users += 1
  return createUser(prisma, {
    email: `worker-${process.pid}-${Date.now()}-${users}@example.org`,
    displayName: 'Worker test',
  })
}
