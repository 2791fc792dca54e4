/**
 * NATS stopped while 200 pins are posted: every POST still answers 202 (the rows wait in the
 * outbox with `published_at` null), and once NATS is back the worker's sweeper publishes them and
 * the worker pins them all. The worker (consumers and sweeper) runs in this process, on a private
 * nats-server that the test kills and restarts, with its content already in the local blockstore.
 */
import { randomBytes } from 'node:crypto'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import { startNatsServer, type NatsServerHandle } from '@pinion/testing'
import { buildDeps as buildWorkerDeps, ConfigSchema as WorkerConfigSchema } from '@pinion/worker'
import type { WorkerDeps } from '@pinion/worker'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startPinningApi, type RunningPinningApi } from './helpers/service.js'

let nats: NatsServerHandle
let environment: TestEnvironment
let api: RunningPinningApi
let worker: WorkerDeps
const logger = createLogger({ service: 'worker-in-test', level: 'silent' })

beforeAll(async () => {
  nats = await startNatsServer()
  environment = await createTestEnvironment({
    NATS_URL: nats.url,
    // A quick sweeper: the test waits for the eventual state, never for a time.
    SWEEP_INTERVAL_MS: '300',
    SWEEP_OUTBOX_GRACE_MS: '500',
  })
  api = await startPinningApi({}, { environment })
  worker = await buildWorkerDeps(parseConfig(WorkerConfigSchema, environment.env), logger)
  await startAll(worker.startables, logger)
}, 120_000)
afterAll(async () => {
  if (worker !== undefined) await stopAll(worker.startables, logger)
  await api?.stop()
  await nats?.stop()
  await environment?.cleanup()
})

async function pinnedCount(userId: string): Promise<number> {
  return api.deps.database.prisma.pin.count({ where: { userId, status: 'pinned' } })
}

describe('NATS stopped while pins are posted', () => {
  it('answers 202 to all 200 POSTs and pins every one once NATS is back', async () => {
    const user = await api.newUser()
    const cids: string[] = []
    for (let i = 0; i < 200; i += 1) {
      const bytes = randomBytes(64)
      const cid = CID.createV1(raw.code, await sha256.digest(bytes))
      await worker.blockstore.put(cid, bytes)
      cids.push(cid.toString())
    }

    await nats.kill()
    const answers = []
    for (let start = 0; start < cids.length; start += 8) {
      answers.push(
        ...(await Promise.all(
          cids
            .slice(start, start + 8)
            .map((cid) => postJson(`${api.endpoint}/pins`, user.auth, { cid })),
        )),
      )
    }
    expect(answers.map((answer) => answer.status)).toEqual(cids.map(() => 202))
    const prisma = api.deps.database.prisma
    expect(await prisma.pin.count({ where: { userId: user.id, publishedAt: null } })).toBe(200)

    await nats.restart()
    const deadline = Date.now() + 240_000
    while ((await pinnedCount(user.id)) < 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect(await pinnedCount(user.id)).toBe(200)
    const rows = await prisma.pin.findMany({ where: { userId: user.id } })
    expect(new Set(rows.map((row) => row.cid))).toEqual(new Set(cids))
    expect(rows.every((row) => row.publishedAt !== null)).toBe(true)
  }, 300_000)
})
