import { createServer } from 'node:net'
import { startKubo, type RunningKubo } from '@pinion/testing'
import { CID } from 'multiformats/cid'
import { afterAll, describe, expect, it } from 'vitest'
import { consumerInfo } from './helpers/consumer-state.js'
import { rawBlock, sizeOf, smallDag } from './helpers/content.js'
import { createPin, createTestUser, pinsOf } from './helpers/pins.js'
import { eventually, startWorker, type RunningWorker } from './helpers/worker.js'

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

async function kuboWorker(rpcUrl: string): Promise<RunningWorker> {
  const worker = await startWorker({ BLOCKSTORE: 'kubo', KUBO_RPC_URL: rpcUrl })
  cleanups.push(() => worker.stop())
  return worker
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

const statusOf = async (worker: RunningWorker, id: string) =>
  (await worker.deps.database.prisma.pin.findUniqueOrThrow({ where: { id } })).status

describe('pin lifecycle (Kubo blockstore, stand-in Kubo)', () => {
  it('pins present content through Kubo, records its size, unpins it on delete', async () => {
    const kubo: RunningKubo = await startKubo()
    cleanups.push(() => kubo.stop())
    const worker = await kuboWorker(kubo.rpcUrl)
    const prisma = worker.deps.database.prisma
    const user = await createTestUser(prisma)
    const dag = await smallDag()
    for (const block of dag.blocks) await worker.deps.blockstore.put(block.cid, block.bytes)
    const pin = await createPin(pinsOf(prisma, worker.deps.messaging), {
      userId: user.id,
      cid: dag.root.toString(),
    })
    await eventually(async () => (await statusOf(worker, pin.id)) === 'pinned', {
      what: 'pinned through Kubo',
    })
    const row = await prisma.pin.findUniqueOrThrow({ where: { id: pin.id } })
    expect(row.dagSize).toBe(BigInt(sizeOf(dag.blocks)))
    expect(await worker.deps.blockstore.isPinned(dag.root)).toBe(true)

    await pinsOf(prisma, worker.deps.messaging).deletePin(user.id, pin.id)
    await eventually(async () => !(await worker.deps.blockstore.isPinned(dag.root)), {
      what: 'unpinned from Kubo',
    })
  }, 120_000)

  it('Kubo unreachable: the request is retried with backoff, not failed, and pins once Kubo is up', async () => {
    const port = await freePort()
    const worker = await kuboWorker(`http://127.0.0.1:${port}`)
    const prisma = worker.deps.database.prisma
    const user = await createTestUser(prisma)
    const block = await rawBlock()
    const pin = await createPin(pinsOf(prisma, worker.deps.messaging), {
      userId: user.id,
      cid: block.cid.toString(),
    })
    await eventually(async () => (await statusOf(worker, pin.id)) === 'pinning', {
      what: 'the worker to take the request',
    })
    const env = worker.environment.env as { NATS_URL: string; NATS_NAMESPACE: string }
    await eventually(
      async () =>
        (await consumerInfo(env.NATS_URL, env.NATS_NAMESPACE, 'worker-pin-requests'))
          .num_redelivered > 0,
      { what: 'the request nak-ed and delivered again' },
    )
    expect(await statusOf(worker, pin.id)).toBe('pinning')

    const kubo = await startKubo({ apiPort: port })
    cleanups.push(() => kubo.stop())
    await eventually(
      async () => {
        await worker.deps.blockstore.put(block.cid, block.bytes)
        return true
      },
      { what: 'Kubo to take the block' },
    )
    await eventually(async () => (await statusOf(worker, pin.id)) === 'pinned', {
      timeoutMs: 90_000,
      what: 'pinned after Kubo came back',
    })
    expect(await worker.deps.blockstore.isPinned(CID.parse(pin.cid))).toBe(true)
  }, 180_000)
})
