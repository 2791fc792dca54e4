/**
 * One pinning-api on a real port, on a fresh database and NATS namespace (createTestEnvironment),
 * built the way main.ts builds it; plus users with `pinning` tokens and a raw HTTP helper.
 */
import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Scope } from '@pinion/auth'
import { createApiToken, createUser } from '@pinion/db'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { buildDeps, ConfigSchema, createApp, type PinningApiDeps } from '../../src/index.js'

export interface TestUser {
  readonly id: string
  readonly token: string
  readonly auth: { authorization: string }
}

export interface RunningPinningApi {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  /** The Pinning API base URL, as a user configures it in Kubo. */
  readonly endpoint: string
  readonly deps: PinningApiDeps
  readonly environment: TestEnvironment
  newUser(options?: { maxPins?: number; scopes?: Scope[] }): Promise<TestUser>
  stop(): Promise<void>
}

export async function startPinningApi(
  env: Record<string, string> = {},
  options: { environment?: TestEnvironment } = {},
): Promise<RunningPinningApi> {
  const environment = options.environment ?? (await createTestEnvironment())
  const logger = createLogger({
    service: 'pinning-api-test',
    level: (process.env.PINION_TEST_LOG_LEVEL ?? 'silent') as 'silent',
  })
  const deps = await buildDeps(parseConfig(ConfigSchema, { ...environment.env, ...env }), logger)
  await startAll(deps.startables, logger)
  // Like a readiness probe: traffic only once Postgres answers and the NATS streams exist.
  for (let attempt = 0; ; attempt += 1) {
    try {
      for (const check of deps.readinessChecks) await check.check(AbortSignal.timeout(5000))
      break
    } catch (error) {
      if (attempt > 300) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  const server: Server = createApp(deps).listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  let users = 0
  return {
    origin,
    endpoint: `${origin}/pinning/api/v1`,
    deps,
    environment,
    async newUser({ maxPins, scopes = ['pinning'] }: { maxPins?: number; scopes?: Scope[] } = {}) {
      users += 1
      const prisma = deps.database.prisma
      const user = await createUser(prisma, {
        email: `pinner-${users}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.org`,
        displayName: `Pinner ${users}`,
      })
      if (maxPins !== undefined) {
        await prisma.user.update({ where: { id: user.id }, data: { maxPins } })
      }
      const row = await createApiToken(prisma, { userId: user.id, name: 'test', scopes })
      const issuer = deps.auth.issuer
      if (issuer === undefined) throw new Error('the test environment has no signing key')
      const token = await issuer.issueApiToken({ userId: user.id, tokenId: row.id, scopes })
      return { id: user.id, token, auth: { authorization: `Bearer ${token}` } }
    },
    async stop() {
      server.closeAllConnections()
      server.close()
      await stopAll(deps.startables, logger)
      if (options.environment === undefined) await environment.cleanup()
    },
  }
}

/** An answer read in full: status, headers and the body parsed as JSON when it is JSON. */
export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  // Tests read arbitrary JSON answers and assert their shape themselves.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any
}

export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body,
  })
  const text = await response.text()
  let body: unknown
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: response.status, headers: response.headers, text, body }
}

/** POST a JSON body. */
export function postJson(url: string, headers: Record<string, string>, value: unknown) {
  return call(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(value),
  })
}

/** A distinct CIDv1 raw (base32) for `seed`, like the ones the compliance suite makes. */
export async function cidFor(seed: string): Promise<string> {
  return CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(seed))).toString()
}

/** Marks pins pinned directly in the database (what the worker does once it has the DAG). */
export async function markPinned(deps: PinningApiDeps, ids: string[]): Promise<void> {
  await deps.database.prisma.pin.updateMany({
    where: { id: { in: ids } },
    data: { status: 'pinned' },
  })
}
