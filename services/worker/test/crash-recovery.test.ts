import { CID } from 'multiformats/cid'
import type { PinStatusChanged } from '@pinion/messaging'
import { createServiceContext, type ServiceContext } from '@pinion/platform'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigSchema } from '../src/index.js'
import { rawBlock } from './helpers/content.js'
import { createPin, createTestUser, pinsOf } from './helpers/pins.js'
import { eventually, quickSweeper } from './helpers/worker.js'
import { startWorkerProcess, type WorkerProcess } from './helpers/worker-process.js'

const total = 1000

let environment: TestEnvironment
let context: ServiceContext
const events: PinStatusChanged[] = []
const processes: WorkerProcess[] = []
const logger = createLogger({ service: 'crash-test', level: 'silent' })

beforeAll(async () => {
  // The sweeper's stall retry is kept out of the way: recovery here is JetStream redelivery.
  environment = await createTestEnvironment({
    ...quickSweeper,
    SWEEP_STALL_MS: '600000',
    DATABASE_POOL_MAX: '16',
    WORKER_PIN_CONCURRENCY: '16',
  })
  context = createServiceContext('crash-test', logger)
  const config = parseConfig(ConfigSchema, environment.env)
  const { messaging } = context.platform.messaging(config)
  context.platform.database(config)
  context.platform.blockstore(config)
  context.deps.startables.push(
    messaging.listen({
      subject: 'pinion.pins.status',
      since: new Date(0),
      handler: (event) => {
        events.push(event)
      },
    }),
  )
  await startAll(context.deps.startables, logger)
}, 120_000)

afterAll(async () => {
  for (const child of processes) await child.kill()
  await stopAll(context?.deps.startables ?? [], logger)
  await environment?.cleanup()
})

describe('a worker SIGKILLed twice mid-way', () => {
  it(`pins all ${total} requests, each to completion once, none lost`, async () => {
    const config = parseConfig(ConfigSchema, environment.env)
    const prisma = context.platform.database(config).prisma
    const { messaging } = context.platform.messaging(config)
    const blockstore = context.platform.blockstore(config)
    const user = await createTestUser(prisma)
    const pins = pinsOf(prisma, messaging)

    const ids: string[] = []
    for (let start = 0; start < total; start += 5) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(5, total - start) }, async () => {
          const block = await rawBlock()
          await blockstore.put(block.cid, block.bytes)
          return createPin(pins, { userId: user.id, cid: block.cid.toString() })
        }),
      )
      ids.push(...batch.map((pin) => pin.id))
    }
    const pinned = () => prisma.pin.count({ where: { userId: user.id, status: 'pinned' } })

    for (const killAt of [total * 0.3, total * 0.65]) {
      const child = startWorkerProcess(environment.env)
      processes.push(child)
      await eventually(async () => (await pinned()) >= killAt, {
        timeoutMs: 180_000,
        what: `${killAt} pins pinned`,
      })
      await child.kill()
    }
    const last = startWorkerProcess(environment.env)
    processes.push(last)
    await eventually(async () => (await pinned()) === total, {
      timeoutMs: 300_000,
      what: 'every pin pinned',
    })
    await last.stop()

    const rows = await prisma.pin.findMany({ where: { userId: user.id } })
    expect(rows).toHaveLength(total)
    expect(rows.every((row) => row.status === 'pinned' && row.dagSize === 64n)).toBe(true)
    for (const row of rows) expect(await blockstore.isPinned(parseCid(row.cid))).toBe(true)

    // The processing log: no request made the pinned transition twice, across all three runs.
    const transitions = new Map<string, number>()
    for (const child of processes) {
      for (const id of child.pinnedLog) transitions.set(id, (transitions.get(id) ?? 0) + 1)
    }
    expect([...transitions.values()].every((count) => count === 1)).toBe(true)
    expect(transitions.size).toBeGreaterThan(total * 0.9)
    // Each run did part of the work: the kills really came mid-way.
    expect(processes.map((child) => child.pinnedLog.length > 0)).toEqual([true, true, true])

    // Every request announced `pinned` exactly once, and nothing after it.
    await eventually(() => new Set(pinnedEvents().map((e) => e.requestId)).size === total, {
      what: 'a pinned event per request',
    })
    expect(pinnedEvents()).toHaveLength(total)
    for (const id of ids) {
      const statuses = events.filter((e) => e.requestId === id).map((e) => e.status)
      expect(statuses.at(-1)).toBe('pinned')
      expect(statuses.filter((status) => status === 'failed')).toEqual([])
    }
  }, 600_000)
})

const pinnedEvents = () => events.filter((event) => event.status === 'pinned')

function parseCid(text: string) {
  return CID.parse(text)
}
