import type { AddressInfo } from 'node:net'
import { createServer, type Server } from 'node:http'
import { createApiToken, createUser, type User } from '@pinion/db'
import { createServiceContext } from '@pinion/platform'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import {
  ConfigSchema,
  buildDepsWith,
  createApp,
  type GatewayDeps,
  type GatewayDepsOptions,
} from '../../src/index.js'
import { fixtureCars } from './fixtures.js'

/** A running gateway on loopback over a fresh test environment, with the fixtures imported. */
export interface TestGateway {
  readonly url: string
  readonly deps: GatewayDeps
  readonly environment: TestEnvironment
  readonly user: User
  /** A bearer token of `user` with `scopes` (default `gateway`). */
  token(scopes?: string[], user?: User): Promise<string>
  /** GET/HEAD under `/gateway/api/v1` with a gateway token, body as bytes; no redirects followed. */
  api(path: string, init?: RequestInit & { token?: string }): Promise<Fetched>
  close(): Promise<void>
}

/** A fetched response with its whole body. */
export interface Fetched {
  status: number
  headers: Headers
  body: Buffer
  text: string
}

export async function fetchAll(url: string, init: RequestInit = {}): Promise<Fetched> {
  const response = await fetch(url, { redirect: 'manual', ...init })
  const body = Buffer.from(await response.arrayBuffer())
  return { status: response.status, headers: response.headers, body, text: body.toString('utf8') }
}

/**
 * Starts the gateway service as deployed (real Postgres, NATS, auth and local blockstore through
 * the platform), imports every conformance fixture, and creates a user.
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  options: GatewayDepsOptions = {},
): Promise<TestGateway> {
  const environment = await createTestEnvironment(env)
  const config = parseConfig(ConfigSchema, environment.env)
  const logger = createLogger({ service: 'gateway-test', level: 'silent' })
  const deps = await buildDepsWith(config, createServiceContext('gateway', logger), options)
  await startAll(deps.startables, logger)
  for (const car of await fixtureCars()) await deps.blockstore.importCar([car])
  const server: Server = await new Promise((resolve) => {
    const listening = createServer(createApp(deps)).listen(0, '127.0.0.1', () => resolve(listening))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const prisma = environment.database.prisma
  const user = await createUser(prisma, { email: 'ada@example.org', displayName: 'Ada' })
  const token = async (scopes = ['gateway'], owner = user) => {
    const row = await createApiToken(prisma, { userId: owner.id, name: 'test', scopes })
    return deps.auth.issuer!.issueApiToken({
      userId: owner.id,
      tokenId: row.id,
      scopes: scopes as never,
    })
  }
  const defaultToken = await token()
  return {
    url,
    deps,
    environment,
    user,
    token,
    api: (path, init = {}) => {
      const { token: given, headers, ...rest } = init
      return fetchAll(`${url}/gateway/api/v1${path}`, {
        ...rest,
        headers: { Authorization: `Bearer ${given ?? defaultToken}`, ...(headers as object) },
      })
    },
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await stopAll(deps.startables, logger)
      await environment.cleanup()
    },
  }
}
