import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import * as upload from '@pinion/upload'
import { createUploadUser } from '@pinion/upload/testing'
import { randomBytes } from 'node:crypto'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDeps, createApp, parseAllInOneConfig, type AllInOneDeps } from '../src/index.js'

// The worker has no routes: in the all-in-one process its consumers and sweeper run among the
// shared startables, so an upload (which only queues its pin) ends `pinned` with no other process.

let environment: TestEnvironment
let deps: AllInOneDeps
let token: string
const logger = createLogger({ service: 'test', level: 'silent' })

beforeAll(async () => {
  environment = await createTestEnvironment()
  const uploadDeps = await upload.buildDeps(
    parseConfig(upload.ConfigSchema, environment.env),
    logger,
  )
  await startAll(uploadDeps.startables, logger)
  try {
    ;({ token } = await createUploadUser(uploadDeps, { scopes: ['upload'] }))
  } finally {
    await stopAll(uploadDeps.startables, logger)
  }
  deps = await buildDeps(parseAllInOneConfig(environment.env), logger)
  await startAll(deps.startables, logger)
})

afterAll(async () => {
  if (deps !== undefined) await stopAll(deps.startables, logger)
  await environment.cleanup()
})

describe('the worker inside the all-in-one process', () => {
  it('takes an upload from pinning to pinned with its DAG size', async () => {
    const uploaded = await request(createApp(deps))
      .post('/upload/api/v1/?name=kept')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/octet-stream')
      .send(randomBytes(300 * 1024))
    expect(uploaded.status).toBe(202)
    const id: string = uploaded.body.requestid
    const prisma = environment.database.prisma
    const deadline = Date.now() + 60_000
    let row = await prisma.pin.findUniqueOrThrow({ where: { id } })
    while (row.status !== 'pinned' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      row = await prisma.pin.findUniqueOrThrow({ where: { id } })
    }
    expect(row.status).toBe('pinned')
    expect(row.dagSize).toBeGreaterThan(300n * 1024n)
  })
})
