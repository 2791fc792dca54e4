import {
  acquireCidReference,
  createUser,
  nextPinCreated,
  type Pin,
  type PrismaClient,
} from '@pinion/db'
import type { Messaging, PinionTopology } from '@pinion/messaging'
import { cidKeyOf, createPins, type Pins } from '@pinion/pins'
import { createLogger } from '@pinion/service-kit'

const logger = createLogger({ service: 'worker-test-pins', level: 'silent' })

/** The pin domain the APIs use (`@pinion/pins`): rows, references and the outbox. */
export function pinsOf(
  prisma: PrismaClient,
  messaging: Messaging<PinionTopology>,
  options: { deadlineMs?: number } = {},
): Pins {
  return createPins({ database: { prisma }, messaging, logger, delegates: [], ...options })
}

/** A pin request as the Pinning API takes it. */
export interface TestPinRequest {
  userId: string
  cid: string
  origins?: string[]
}

function input(request: TestPinRequest) {
  const cidKey = cidKeyOf(request.cid)
  if (cidKey === undefined) throw new Error(`not a CID: ${request.cid}`)
  return { cid: request.cid, cidKey, name: undefined, origins: request.origins ?? [], meta: {} }
}

/** Creates a pin through `@pinion/pins` (row, reference, request published or left to the outbox). */
export function createPin(pins: Pins, request: TestPinRequest): Promise<Pin> {
  return pins.createPin({ userId: request.userId, ...input(request) })
}

/** Replaces a pin through `@pinion/pins` with a pin of `cid`. */
export function replacePin(pins: Pins, pin: Pin, cid: string): Promise<Pin> {
  return pins.replacePin(pin.userId, pin.id, input({ userId: pin.userId, cid }))
}

/**
 * A pin whose request message was lost (as if JetStream had accepted it and then lost it): the
 * row and its reference as `@pinion/pins` writes them, marked published, and no message. Only the
 * sweeper (or a test publishing the message itself) can move it.
 */
export async function createLostPin(
  prisma: PrismaClient,
  request: TestPinRequest & { deadlineAt?: Date },
): Promise<Pin> {
  const { cid, cidKey, origins } = input(request)
  return prisma.$transaction(async (tx) => {
    const created = await nextPinCreated(tx, request.userId)
    const row = await tx.pin.create({
      data: {
        userId: request.userId,
        cid,
        cidKey,
        origins,
        created,
        attempts: 1,
        publishedAt: new Date(),
        deadlineAt: request.deadlineAt ?? new Date(created.getTime() + 3_600_000),
      },
    })
    await acquireCidReference(tx, cidKey)
    return row
  })
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
