import { CID } from 'multiformats/cid'
import { startNatsServer, type NatsServerHandle } from '@pinion/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawBlock } from './helpers/content.js'
import { createPin, createTestUser, pinsOf } from './helpers/pins.js'
import { eventually, startWorker, type RunningWorker } from './helpers/worker.js'

let nats: NatsServerHandle
let worker: RunningWorker

beforeAll(async () => {
  nats = await startNatsServer()
  worker = await startWorker({ NATS_URL: nats.url })
}, 120_000)
afterAll(async () => {
  await worker?.stop()
  await nats?.stop()
})

describe('the outbox sweeper', () => {
  it('publishes pins accepted while NATS was down, and they reach pinned', async () => {
    const prisma = worker.deps.database.prisma
    const user = await createTestUser(prisma)
    const pins = pinsOf(prisma, worker.deps.messaging)
    const blocks = await Promise.all(Array.from({ length: 200 }, () => rawBlock()))
    for (const block of blocks) await worker.deps.blockstore.put(block.cid, block.bytes)
    // A pin that is pinned before the outage, deleted during it.
    const earlier = await createPin(pins, {
      userId: user.id,
      cid: (await putBlock()).toString(),
    })
    await eventually(async () => (await status(earlier.id)) === 'pinned', { what: 'first pin' })

    await nats.kill()
    const accepted = []
    for (const block of blocks) {
      accepted.push(
        await createPin(pins, {
          userId: user.id,
          cid: block.cid.toString(),
        }),
      )
    }
    expect(accepted.every((pin) => pin.publishedAt === null && pin.status === 'queued')).toBe(true)
    // The API answers; its removal waits in the outbox (removal_published_at null).
    await pins.deletePin(user.id, earlier.id)
    const pendingRemoval = await prisma.pin.findUniqueOrThrow({ where: { id: earlier.id } })
    expect(pendingRemoval.removalPublishedAt).toBeNull()
    expect(await worker.deps.blockstore.isPinned(cidOf(earlier))).toBe(true)

    await nats.restart()
    await eventually(
      async () =>
        (await prisma.pin.count({
          where: { userId: user.id, status: 'pinned', deletedAt: null },
        })) === accepted.length,
      { timeoutMs: 120_000, what: 'every pin accepted during the outage pinned' },
    )
    const rows = await prisma.pin.findMany({ where: { id: { in: accepted.map((pin) => pin.id) } } })
    expect(rows.every((row) => row.publishedAt !== null && row.attempts === 2)).toBe(true)
    // The removal made during the outage was published too: nothing references the CID now.
    await eventually(async () => !(await worker.deps.blockstore.isPinned(cidOf(earlier))), {
      timeoutMs: 60_000,
      what: 'the CID of the pin deleted during the outage unpinned',
    })
    const deleted = await prisma.pin.findUniqueOrThrow({ where: { id: earlier.id } })
    expect(deleted.removalPublishedAt).not.toBeNull()
  }, 240_000)
})

async function putBlock() {
  const block = await rawBlock()
  await worker.deps.blockstore.put(block.cid, block.bytes)
  return block.cid
}

async function status(id: string) {
  return (await worker.deps.database.prisma.pin.findUniqueOrThrow({ where: { id } })).status
}

function cidOf(pin: { cid: string }) {
  return CID.parse(pin.cid)
}
