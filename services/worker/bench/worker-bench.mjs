// Worker throughput: pin requests for content already in the blockstore, from `queued` to
// `pinned`, per second, through the real consume loop (JetStream, Postgres, local blockstore).
// Baseline measured in the same run: bare `blockstore.pin` calls on the same kind of content at
// the same concurrency, i.e. what the worker would reach with zero bookkeeping.
//
//   pnpm --filter @pinion/worker bench            (BENCH_PINS=2000 BENCH_CONCURRENCY=32)
//   BENCH_CPU_PROFILE=/tmp/worker.cpuprofile …    (a V8 CPU profile of the drain phase only)
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { performance } from 'node:perf_hooks'
import { createTestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import { buildDeps, ConfigSchema } from '@pinion/worker'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'

const pins = Number(process.env.BENCH_PINS ?? 2000)
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32)
const logger = createLogger({ service: 'worker-bench', level: 'error' })

async function blocks(count) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const bytes = randomBytes(1024)
      return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
    }),
  )
}

async function limited(items, lanes, fn) {
  let next = 0
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < items.length) await fn(items[next++])
    }),
  )
}

/** Profiles until `stop()` when BENCH_CPU_PROFILE names a file (open it in Chrome DevTools). */
async function startProfile() {
  const path = process.env.BENCH_CPU_PROFILE
  if (!path) return undefined
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop')
      await writeFile(path, JSON.stringify(profile))
      session.disconnect()
    },
  }
}

const environment = await createTestEnvironment({
  LOG_LEVEL: 'error',
  WORKER_PIN_CONCURRENCY: String(concurrency),
  DATABASE_POOL_MAX: String(Math.max(10, concurrency)),
  SWEEP_INTERVAL_MS: '60000',
})
const deps = await buildDeps(parseConfig(ConfigSchema, environment.env), logger)
const consumer = deps.startables.find((s) => s.name === 'consumer:worker-pin-requests')
try {
  // Everything but the request consumer: the queue fills first, then the worker drains it.
  await startAll(
    deps.startables.filter((s) => s !== consumer),
    logger,
  )
  const { prisma } = deps.database
  const { blockstore, messaging } = deps

  // Baseline: bare pins of present content.
  const bare = await blocks(pins)
  for (const block of bare) await blockstore.put(block.cid, block.bytes)
  let started = performance.now()
  await limited(bare, concurrency, (block) => blockstore.pin(block.cid))
  const bareRate = pins / ((performance.now() - started) / 1000)

  // Second baseline: the consume loop alone (JetStream pull, no-op handler, ack) on the same
  // number of messages, through the removals consumer, which this bench does not otherwise use.
  const removals = deps.startables.find((s) => s.name === 'consumer:worker-pin-removals')
  await removals.stop()
  let acked = 0
  const bareLoop = messaging.consume({
    consumer: 'worker-pin-removals',
    concurrency,
    handler: () => {
      acked += 1
    },
  })
  await limited(bare, 16, (block) =>
    messaging.publish(
      'pinion.pins.removed',
      {
        requestId: block.cid.toString(),
        userId: 'bench',
        cidKey: block.cid.toString(),
        removedAt: new Date().toISOString(),
      },
      { msgId: `rm-${block.cid.toString()}` },
    ),
  )
  started = performance.now()
  await bareLoop.start()
  while (acked < pins) await new Promise((resolve) => setTimeout(resolve, 5))
  const loopRate = pins / ((performance.now() - started) / 1000)
  await bareLoop.stop()

  // The worker: rows (queued, published) and their requests in the stream, then drain.
  const content = await blocks(pins)
  for (const block of content) await blockstore.put(block.cid, block.bytes)
  const user = await prisma.user.create({
    data: { email: `bench-${Date.now()}@example.org`, displayName: 'bench' },
  })
  const base = Date.now()
  const rows = content.map((block, index) => ({
    userId: user.id,
    cid: block.cid.toString(),
    cidKey: block.cid.toString(),
    created: new Date(base + index),
    publishedAt: new Date(),
  }))
  await prisma.pin.createMany({ data: rows })
  await prisma.cidReference.createMany({
    data: rows.map((row) => ({ cidKey: row.cidKey, refCount: 1 })),
  })
  const created = await prisma.pin.findMany({ where: { userId: user.id } })
  await limited(created, 16, (pin) =>
    messaging.publish(
      'pinion.pins.requested',
      {
        requestId: pin.id,
        userId: pin.userId,
        cid: pin.cid,
        attempt: 1,
        requestedAt: pin.created.toISOString(),
      },
      { msgId: `pin-${pin.id}-1` },
    ),
  )
  started = performance.now()
  const profiler = await startProfile()
  const cpuBefore = process.cpuUsage()
  await consumer.start()
  for (;;) {
    const done = await prisma.pin.count({ where: { userId: user.id, status: 'pinned' } })
    if (done === pins) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const workerRate = pins / ((performance.now() - started) / 1000)
  const cpu = process.cpuUsage(cpuBefore)
  await profiler?.stop()
  // Node CPU of this process (the worker and the bench's 20 ms polls), the figure that does not
  // depend on what else the machine runs.
  const cpuPerPin = (cpu.user + cpu.system) / pins

  console.log(`pins: ${pins}, concurrency: ${concurrency}, backend: local`)
  console.log(`baseline  bare blockstore.pin (present content): ${bareRate.toFixed(0)} pins/s`)
  console.log(
    `worker    queued → pinned through JetStream + Postgres: ${workerRate.toFixed(0)} pins/s`,
  )
  console.log(
    `baseline  bare consume loop (pull, no-op handler, ack): ${loopRate.toFixed(0)} msgs/s`,
  )
  console.log(`cpu       ${cpuPerPin.toFixed(0)} µs of Node CPU per pin`)
  console.log(`ratio     worker / bare blockstore.pin: ${(workerRate / bareRate).toFixed(3)}`)
  console.log(`ratio     worker / bare consume loop: ${(workerRate / loopRate).toFixed(3)}`)
  console.log(`goal      ≥ 300 pins/s: ${workerRate >= 300 ? 'met' : 'NOT met'}`)
} finally {
  await stopAll(deps.startables, logger)
  await environment.cleanup()
}
