import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import * as upload from '@pinion/upload'
import { createUploadUser } from '@pinion/upload/testing'
import { randomBytes } from 'node:crypto'
import type { RequestListener } from 'node:http'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDeps, createApp, parseAllInOneConfig, type AllInOneDeps } from '../src/index.js'

// An upload's life in the all-in-one process. Issue #4: "content is readable through the gateway
// as soon as the upload answers, before the worker marks it pinned": upload and gateway share one
// blockstore here, as they share one Kubo in a cluster, and the read follows the upload's answer
// with no wait at all. The worker has no routes: its consumers and sweeper run among the shared
// startables, so the same upload then ends `pinned` with no other process.

let environment: TestEnvironment
let deps: AllInOneDeps
let app: RequestListener
let token: string
const logger = createLogger({ service: 'test', level: 'silent' })

beforeAll(async () => {
  environment = await createTestEnvironment()
  // A user with a token for both services, made through upload's own deps on the same database.
  const uploadDeps = await upload.buildDeps(
    parseConfig(upload.ConfigSchema, environment.env),
    logger,
  )
  await startAll(uploadDeps.startables, logger)
  try {
    ;({ token } = await createUploadUser(uploadDeps, { scopes: ['upload', 'gateway'] }))
  } finally {
    await stopAll(uploadDeps.startables, logger)
  }
  deps = await buildDeps(parseAllInOneConfig(environment.env), logger)
  await startAll(deps.startables, logger)
  app = createApp(deps)
})

afterAll(async () => {
  if (deps !== undefined) await stopAll(deps.startables, logger)
  await environment.cleanup()
})

/** Uploads raw bytes under `name`; the upload service answers 202 with the pin. */
async function uploadBytes(bytes: Buffer, name: string) {
  const uploaded = await request(app)
    .post(`/upload/api/v1/?name=${name}`)
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', 'application/octet-stream')
    .send(bytes)
  expect(uploaded.status).toBe(202)
  return uploaded
}

/** A gateway GET whose body is kept as bytes, whatever its content type. */
function readBytes(path: string) {
  return request(app)
    .get(path)
    .set('Authorization', `Bearer ${token}`)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => done(null, Buffer.concat(chunks)))
    })
}

describe('an upload read back through the gateway at once', () => {
  it('serves the bytes of a file the moment its upload answered', async () => {
    const bytes = randomBytes(700 * 1024) // several chunks: a DAG, not one block
    const uploaded = await uploadBytes(bytes, 'fresh')
    expect(uploaded.body.status).toBe('pinning')
    const cid: string = uploaded.body.pin.cid

    const read = await readBytes(`/gateway/api/v1/ipfs/${cid}`)
    expect(read.status).toBe(200)
    expect(Buffer.compare(read.body as Buffer, bytes)).toBe(0)
  })

  it('serves the raw block of a one-chunk upload (a raw leaf: the bytes themselves)', async () => {
    const bytes = Buffer.from('hello from pinion\n')
    const uploaded = await uploadBytes(bytes, 'text')
    const cid: string = uploaded.body.pin.cid

    const raw = await readBytes(`/gateway/api/v1/ipfs/${cid}?format=raw`)
    expect(raw.status).toBe(200)
    expect(raw.headers['content-type']).toBe('application/vnd.ipld.raw')
    expect(Buffer.compare(raw.body as Buffer, bytes)).toBe(0)
  })
})

describe('the worker inside the all-in-one process', () => {
  it('takes an upload from pinning to pinned with its DAG size', async () => {
    const uploaded = await uploadBytes(randomBytes(300 * 1024), 'kept')
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
