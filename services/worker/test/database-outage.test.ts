import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createTcpProxy, type TcpProxy } from '@pinion/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consumerInfo } from './helpers/consumer-state.js'
import { rawBlock } from './helpers/content.js'
import { createPin, createTestUser, pinsOf } from './helpers/pins.js'
import { eventually, quickSweeper, startWorker, type RunningWorker } from './helpers/worker.js'

let environment: TestEnvironment
let proxy: TcpProxy
let worker: RunningWorker

beforeAll(async () => {
  environment = await createTestEnvironment(quickSweeper)
  const url = new URL(environment.env.DATABASE_URL as string)
  proxy = await createTcpProxy({ host: url.hostname, port: Number(url.port || 5432) })
  // The worker reaches Postgres through the proxy; the test writes rows directly.
  worker = await startWorker({ DATABASE_URL: proxy.rewriteUrl(url.toString()) }, environment)
}, 120_000)

afterAll(async () => {
  await worker?.stop()
  await proxy?.close()
  await environment?.cleanup()
})

describe('Postgres unreachable from the worker', () => {
  it('naks the request with backoff (nothing failed) and pins it once Postgres is back', async () => {
    const prisma = environment.database.prisma
    const user = await createTestUser(prisma)
    const block = await rawBlock()
    await worker.deps.blockstore.put(block.cid, block.bytes)

    proxy.cut('reset')
    const pin = await createPin(pinsOf(prisma, worker.deps.messaging), {
      userId: user.id,
      cid: block.cid.toString(),
    })
    const env = environment.env as { NATS_URL: string; NATS_NAMESPACE: string }
    await eventually(
      async () =>
        (await consumerInfo(env.NATS_URL, env.NATS_NAMESPACE, 'worker-pin-requests'))
          .num_redelivered > 0,
      { what: 'the request nak-ed and delivered again' },
    )
    expect((await prisma.pin.findUniqueOrThrow({ where: { id: pin.id } })).status).toBe('queued')

    proxy.restore()
    await eventually(
      async () =>
        (await prisma.pin.findUniqueOrThrow({ where: { id: pin.id } })).status === 'pinned',
      { timeoutMs: 120_000, what: 'pinned once Postgres is reachable again' },
    )
    expect(await worker.deps.blockstore.isPinned(block.cid)).toBe(true)
  }, 180_000)
})
