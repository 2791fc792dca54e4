import * as dashboard from '@pinion/dashboard'
import * as gateway from '@pinion/gateway'
import * as githubBot from '@pinion/github-bot'
import * as pinningApi from '@pinion/pinning-api'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import * as prover from '@pinion/prover'
import {
  ConfigError,
  createLogger,
  parseConfig,
  startAll,
  stopAll,
  type Logger,
  type ServiceDeps,
} from '@pinion/service-kit'
import * as upload from '@pinion/upload'
import * as worker from '@pinion/worker'
import type { RequestListener } from 'node:http'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { buildDeps, createApp, parseAllInOneConfig } from '../src/index.js'

let environment: TestEnvironment
const logger = createLogger({ service: 'test', level: 'silent' })

beforeAll(async () => {
  environment = await createTestEnvironment()
})
afterAll(async () => {
  await environment.cleanup()
})

async function readyWithin(app: RequestListener, ms: number) {
  const deadline = Date.now() + ms
  let res = await request(app).get('/readyz')
  while (res.status !== 200 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    res = await request(app).get('/readyz')
  }
  return res
}

describe('all-in-one configuration', () => {
  it('lists every distinct problem across services once, by name', () => {
    const env = { ...environment.env, DATABASE_URL: 'nope', PORT: 'eighty' }
    try {
      parseAllInOneConfig(env)
      expect.unreachable('should throw')
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      const names = (error as ConfigError).problems.map((problem) => problem.split(':')[0])
      expect(names.filter((name) => name === 'DATABASE_URL')).toHaveLength(1)
      expect(names.filter((name) => name === 'PORT')).toHaveLength(1)
    }
  })
})

describe('all-in-one process', () => {
  it('starts every service on one platform and becomes ready', async () => {
    const deps = await buildDeps(parseAllInOneConfig(environment.env), logger)
    await startAll(deps.startables, logger)
    try {
      const app = createApp(deps)
      expect((await request(app).get('/healthz')).status).toBe(200)
      const ready = await readyWithin(app, 15_000)
      expect(ready.status).toBe(200)
      // One database pool and one NATS connection shared by all services, not one per service.
      const names = ready.body.checks.map((check: { name: string }) => check.name)
      expect(new Set(names).size).toBe(names.length)
      expect(names.length).toBeGreaterThanOrEqual(2)
    } finally {
      await stopAll(deps.startables, logger)
    }
  })
})

interface Standalone<S extends z.ZodType, D extends ServiceDeps> {
  ConfigSchema: S
  buildDeps(config: z.infer<S>, logger: Logger): Promise<D>
  createApp(deps: D): RequestListener
}

const standalone: [string, Standalone<z.ZodType, ServiceDeps>][] = [
  ['pinning-api', pinningApi as never],
  ['upload', upload as never],
  ['gateway', gateway as never],
  ['github-bot', githubBot as never],
  ['prover', prover as never],
  ['worker', worker as never],
  ['dashboard', dashboard as never],
]

describe.each(standalone)('%s standalone', (_name, service) => {
  it('answers liveness, then readiness once Postgres and NATS answer', async () => {
    const deps = await service.buildDeps(parseConfig(service.ConfigSchema, environment.env), logger)
    await startAll(deps.startables, logger)
    try {
      const app = service.createApp(deps)
      expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' })
      expect((await readyWithin(app, 15_000)).status).toBe(200)
      expect((await request(app).get('/metrics')).text).toContain('http_request_duration_seconds')
    } finally {
      await stopAll(deps.startables, logger)
    }
  })
})
