// Worker throughput: pin requests for content already in the blockstore, from `queued` to
// `pinned`, per second, through the real consume loop (JetStream, Postgres, local blockstore).
// Baseline measured in the same run: bare `blockstore.pin` calls on the same kind of content at
// the same concurrency, i.e. what the worker would reach with zero bookkeeping.
//
//   pnpm --filter @pinion/worker bench            (BENCH_PINS=2000 BENCH_CONCURRENCY=32)
import { randomBytes } from 'node:crypto'
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
  await consumer.start()
  for (;;) {
    const done = await prisma.pin.count({ where: { userId: user.id, status: 'pinned' } })
    if (done === pins) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const workerRate = pins / ((performance.now() - started) / 1000)

  console.log(`pins: ${pins}, concurrency: ${concurrency}, backend: local`)
  console.log(`baseline  bare blockstore.pin (present content): ${bareRate.toFixed(0)} pins/s`)
  console.log(
    `worker    queued → pinned through JetStream + Postgres: ${workerRate.toFixed(0)} pins/s`,
  )
  console.log(`ratio     worker / baseline: ${(workerRate / bareRate).toFixed(3)}`)
  console.log(`goal      ≥ 300 pins/s: ${workerRate >= 300 ? 'met' : 'NOT met'}`)
} finally {
  await stopAll(deps.startables, logger)
  await environment.cleanup()
}
