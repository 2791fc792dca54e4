import { cidReferenceCount } from '@pinion/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consumerIdle } from './helpers/consumer-state.js'
import { createPrismaPinRecords } from '../src/adapters/prisma-pin-records.js'
import { rawBlock, sizeOf, smallDag } from './helpers/content.js'
import { createLostPin, createPin, createTestUser, pinsOf, replacePin } from './helpers/pins.js'
import { startTrustlessOrigin, type TrustlessOrigin } from './helpers/trustless-origin.js'
import { eventually, startWorker, type RunningWorker } from './helpers/worker.js'

let worker: RunningWorker
let user: { id: string }
const origins: TrustlessOrigin[] = []

beforeAll(async () => {
  // A short stall window, so the sweeper's retry of a stuck pin shows within the test.
  worker = await startWorker({ SWEEP_STALL_MS: '3000' })
  user = await createTestUser(worker.deps.database.prisma)
}, 120_000)
afterAll(async () => {
  await Promise.all(origins.map((origin) => origin.close()))
  await worker?.stop()
})

const prisma = () => worker.deps.database.prisma
const pins = (deadlineMs?: number) => pinsOf(prisma(), worker.deps.messaging, { deadlineMs })
const env = () => worker.environment.env as { NATS_URL: string; NATS_NAMESPACE: string }
const row = (id: string) => prisma().pin.findUniqueOrThrow({ where: { id } })
const statusesOf = (id: string) =>
  worker.events.filter((event) => event.requestId === id).map((event) => event.status)

/** Publishes request `attempt` of a pin again, as a redelivery or the sweeper would. */
async function publishRequest(pin: { id: string; cid: string; created: Date }, attempt = 1) {
  await worker.deps.messaging.publish(
    'pinion.pins.requested',
    {
      requestId: pin.id,
      userId: user.id,
      cid: pin.cid,
      attempt,
      requestedAt: pin.created.toISOString(),
    },
    { msgId: `pin-${pin.id}-${attempt}` },
  )
}

/** Waits until `consumer` has nothing pending or unacknowledged. */
async function drained(consumer: 'worker-pin-requests' | 'worker-pin-removals', what: string) {
  await eventually(() => consumerIdle(env().NATS_URL, env().NATS_NAMESPACE, consumer), { what })
}

async function final(id: string) {
  return eventually(
    async () => {
      const pin = await row(id)
      return pin.status === 'pinned' || pin.status === 'failed' ? pin : undefined
    },
    { what: `pin ${id} to end pinned or failed` },
  )
}

async function origin(
  blocks: Parameters<typeof startTrustlessOrigin>[0],
  mode?: 'corrupt' | 'hang',
) {
  const started = await startTrustlessOrigin(blocks, mode)
  origins.push(started)
  return started
}

describe('pin lifecycle (local blockstore)', () => {
  it('content already present: queued → pinning → pinned, DAG size recorded and announced', async () => {
    const dag = await smallDag()
    for (const block of dag.blocks) await worker.deps.blockstore.put(block.cid, block.bytes)
    const pin = await createPin(pins(), {
      userId: user.id,
      cid: dag.root.toString(),
    })
    const done = await final(pin.id)
    expect(done).toMatchObject({ status: 'pinned', dagSize: BigInt(sizeOf(dag.blocks)) })
    expect(await worker.deps.blockstore.isPinned(dag.root)).toBe(true)
    const reference = await prisma().cidReference.findUniqueOrThrow({
      where: { cidKey: pin.cidKey },
    })
    expect(reference.dagSize).toBe(BigInt(sizeOf(dag.blocks)))
    await eventually(() => statusesOf(pin.id).includes('pinned'), { what: 'pinned event' })
    expect(statusesOf(pin.id)).toEqual(['pinning', 'pinned'])
    const pinned = worker.events.find((e) => e.requestId === pin.id && e.status === 'pinned')
    expect(pinned).toMatchObject({ userId: user.id, cid: pin.cid, dagSize: sizeOf(dag.blocks) })
    const metrics = await worker.deps.metrics.registry.getSingleMetricAsString(
      'pinion_worker_pin_requests_total',
    )
    expect(metrics).toMatch(/pinion_worker_pin_requests_total\{[^}]*outcome="pinned"[^}]*\} [1-9]/)
  })

  it('missing blocks come from an HTTP origin serving ?format=raw blocks, each one verified', async () => {
    const dag = await smallDag(4)
    const served = await origin(dag.blocks)
    const pin = await createPin(pins(), {
      userId: user.id,
      cid: dag.root.toString(),
      origins: [served.url],
    })
    expect(await final(pin.id)).toMatchObject({ status: 'pinned' })
    expect(served.rawRequests).toHaveLength(dag.blocks.length)
    for (const block of dag.blocks) {
      expect(Buffer.from(await worker.deps.blockstore.get(block.cid))).toEqual(
        Buffer.from(block.bytes),
      )
    }
  })

  it('an origin serving a corrupted block: failed with the reason, nothing stored', async () => {
    const block = await rawBlock()
    const served = await origin([block], 'corrupt')
    const pin = await createPin(pins(), {
      userId: user.id,
      cid: block.cid.toString(),
      origins: [served.url],
    })
    const done = await final(pin.id)
    expect(done.status).toBe('failed')
    expect((done.info as { reason: string }).reason).toMatch(/HASH_MISMATCH/)
    expect(await worker.deps.blockstore.has(block.cid)).toBe(false)
    expect(await worker.deps.blockstore.isPinned(block.cid)).toBe(false)
    await eventually(() => statusesOf(pin.id).includes('failed'), { what: 'failed event' })
  })

  it('a CID that cannot be fetched ends failed after its short deadline, not queued', async () => {
    const block = await rawBlock()
    const served = await origin([block], 'hang')
    const pin = await createPin(pins(2000), {
      userId: user.id,
      cid: block.cid.toString(),
      origins: [served.url],
    })
    const done = await final(pin.id)
    expect(done).toMatchObject({ status: 'failed', info: { reason: 'deadline exceeded' } })
    await eventually(() => statusesOf(pin.id).includes('failed'), { what: 'failed event' })
    const failed = worker.events.find((e) => e.requestId === pin.id && e.status === 'failed')
    expect(failed?.info).toEqual({ reason: 'deadline exceeded' })
  })

  it('a request that never reaches a worker is failed by the sweeper at its deadline', async () => {
    const block = await rawBlock()
    // Published as far as Postgres knows, but the message is lost: only the sweeper can end it.
    const pin = await createLostPin(prisma(), {
      userId: user.id,
      cid: block.cid.toString(),
      deadlineAt: new Date(Date.now() + 500),
    })
    expect(await final(pin.id)).toMatchObject({
      status: 'failed',
      info: { reason: 'deadline exceeded' },
    })
    await eventually(() => statusesOf(pin.id).includes('failed'), { what: 'failed event' })
  })

  it('a pin stuck in pinning (its message lost, no progress) is published again and pinned', async () => {
    const block = await rawBlock()
    await worker.deps.blockstore.put(block.cid, block.bytes)
    const pin = await createLostPin(prisma(), { userId: user.id, cid: block.cid.toString() })
    await prisma().pin.update({ where: { id: pin.id }, data: { status: 'pinning' } })
    expect(await final(pin.id)).toMatchObject({ status: 'pinned', attempts: 2 })
    await eventually(() => statusesOf(pin.id).includes('pinned'), { what: 'pinned event' })
  })

  it('a request for a deleted pin is skipped: nothing pinned, status unchanged', async () => {
    const block = await rawBlock()
    await worker.deps.blockstore.put(block.cid, block.bytes)
    const pin = await createLostPin(prisma(), { userId: user.id, cid: block.cid.toString() })
    await pins().deletePin(user.id, pin.id)
    await publishRequest(pin)
    await drained('worker-pin-requests', 'the request consumed')
    expect((await row(pin.id)).status).toBe('queued')
    expect(await worker.deps.blockstore.isPinned(block.cid)).toBe(false)
    expect(statusesOf(pin.id)).toEqual([])
  })
})

describe('delete and replace', () => {
  it('a CID two users pin is unpinned only when neither pin references it', async () => {
    const other = await createTestUser(prisma())
    const block = await rawBlock()
    await worker.deps.blockstore.put(block.cid, block.bytes)
    const cid = block.cid.toString()
    const mine = await createPin(pins(), { userId: user.id, cid })
    const theirs = await createPin(pins(), { userId: other.id, cid })
    await final(mine.id)
    await final(theirs.id)
    expect(await cidReferenceCount(prisma(), mine.cidKey)).toBe(2)

    await pins().deletePin(user.id, mine.id)
    await drained('worker-pin-removals', 'the removal handled')
    expect(await worker.deps.blockstore.isPinned(block.cid)).toBe(true)
    expect(await cidReferenceCount(prisma(), mine.cidKey)).toBe(1)

    // Replacing the other user's pin with different content releases the last reference.
    const next = await rawBlock()
    await worker.deps.blockstore.put(next.cid, next.bytes)
    const replacement = await replacePin(pins(), theirs, next.cid.toString())
    await eventually(async () => !(await worker.deps.blockstore.isPinned(block.cid)), {
      what: 'the shared CID unpinned',
    })
    expect(await cidReferenceCount(prisma(), mine.cidKey)).toBe(0)
    expect(await final(replacement.id)).toMatchObject({ status: 'pinned' })
    expect(await worker.deps.blockstore.isPinned(next.cid)).toBe(true)
  })
})

describe('redelivery', () => {
  it('a request redelivered after its worker died between commit and ack is not processed again', async () => {
    const block = await rawBlock()
    await worker.deps.blockstore.put(block.cid, block.bytes)
    // Published as far as Postgres knows, so the sweeper leaves it alone.
    const pin = await createLostPin(prisma(), { userId: user.id, cid: block.cid.toString() })
    // What the dead worker got done: the pin recorded as pinned, no status published, no ack.
    await worker.deps.blockstore.pin(block.cid)
    const records = createPrismaPinRecords(prisma())
    await records.startPinning(pin.id, new Date(Date.now() + 60_000))
    expect(await records.markPinned(pin.id, block.bytes.length)).toBeDefined()
    const before = await row(pin.id)

    // The unacknowledged message comes back.
    await publishRequest(pin)
    await eventually(() => statusesOf(pin.id).includes('pinned'), {
      what: 'the lost pinned event published by the redelivery',
    })
    await drained('worker-pin-requests', 'the redelivery acknowledged')
    const after = await row(pin.id)
    expect(after.status).toBe('pinned')
    expect(after.updatedAt).toEqual(before.updatedAt)
    expect(statusesOf(pin.id)).toEqual(['pinned'])
  })

  it('a second request for a pinned pin never regresses it', async () => {
    const block = await rawBlock()
    await worker.deps.blockstore.put(block.cid, block.bytes)
    const pin = await createPin(pins(), {
      userId: user.id,
      cid: block.cid.toString(),
    })
    const done = await final(pin.id)
    await publishRequest(pin, 2)
    await drained('worker-pin-requests', 'the second request handled')
    expect(await row(pin.id)).toMatchObject({ status: 'pinned', updatedAt: done.updatedAt })
    expect(statusesOf(pin.id)).toEqual(['pinning', 'pinned'])
  })
})

describe('group commit of transitions', () => {
  it('handlers running at once share a statement; an id twice in one batch moves once', async () => {
    const records = createPrismaPinRecords(prisma())
    const [first, second] = [await rawBlock(), await rawBlock()]
    // a and c pin the same CID; `gone` is deleted before the worker gets to it.
    const lost = (block: typeof first) =>
      createLostPin(prisma(), { userId: user.id, cid: block.cid.toString() })
    const [a, b, c, gone] = await Promise.all([
      lost(first),
      lost(second),
      lost(first),
      lost(second),
    ])
    await prisma().pin.update({ where: { id: gone.id }, data: { deletedAt: new Date() } })
    const deadline = new Date(Date.now() + 60_000)
    const started = await Promise.all(
      [a, b, a, c, gone].map((pin) => records.startPinning(pin.id, deadline)),
    )
    expect(started.map((result) => result?.pin.id)).toEqual([
      a.id,
      b.id,
      undefined,
      c.id,
      undefined,
    ])
    expect(started.map((result) => result?.previous)).toEqual([
      'queued',
      'queued',
      undefined,
      'queued',
      undefined,
    ])
    expect(await records.startPinning('not-a-uuid', deadline)).toBeUndefined()

    const pinned = await Promise.all([
      records.markPinned(a.id, 10),
      records.markPinned(a.id, 10),
      records.markPinned(b.id, 20),
      records.markPinned(c.id, 10),
    ])
    expect(pinned.map((row) => row?.status)).toEqual(['pinned', undefined, 'pinned', 'pinned'])
    expect(pinned.map((row) => row?.dagSize)).toEqual([10, undefined, 20, 10])
    const references = await prisma().cidReference.findMany({
      where: { cidKey: { in: [a.cidKey, b.cidKey] } },
    })
    expect(Object.fromEntries(references.map((ref) => [ref.cidKey, Number(ref.dagSize)]))).toEqual({
      [a.cidKey]: 10,
      [b.cidKey]: 20,
    })
    // Nothing moves a pinned pin again.
    expect(await records.markPinned(b.id, 99)).toBeUndefined()
    expect(await records.startPinning(b.id, deadline)).toBeUndefined()
  })
})
