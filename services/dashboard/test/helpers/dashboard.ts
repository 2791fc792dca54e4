import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createServiceContext } from '@pinion/platform'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import { buildDepsWith, ConfigSchema, createApp, type DashboardDeps } from '../../src/index.js'
import { Browser } from './browser.js'

/** A shared secret so other services started by a test read the dashboard's cookies. */
export const testSessionSecret = 'a-session-secret-for-tests-only-0123456789'

export interface TestDashboard {
  readonly url: string
  readonly deps: DashboardDeps
  readonly environment: TestEnvironment
  browser(): Browser
  close(): Promise<void>
}

/**
 * The standalone dashboard on a fresh database and NATS namespace. `env` may use `{{url}}`, which
 * is replaced by the dashboard's own origin (OAuth callback URLs need it before it listens), so
 * the port is reserved first.
 */
export async function startTestDashboard(
  env: Record<string, string> | ((url: string) => Record<string, string>) = {},
  environment?: TestEnvironment,
): Promise<TestDashboard> {
  const { createServer } = await import('node:http')
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const extra = typeof env === 'function' ? env(url) : env
  const own = environment ?? (await createTestEnvironment())
  const config = parseConfig(ConfigSchema, {
    ...own.env,
    SESSION_SECRET: testSessionSecret,
    PUBLIC_URL: url,
    // Every test signs up from 127.0.0.1; the limit has tests of its own.
    SIGNUP_MAX_PER_ADDRESS: '10000',
    ...extra,
  })
  const logger = createLogger({
    service: 'dashboard-test',
    level: (process.env.PINION_TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
  })
  const deps = await buildDepsWith(config, createServiceContext('dashboard', logger))
  await startAll(deps.startables, logger)
  server.on('request', createApp(deps))
  return {
    url,
    deps,
    environment: own,
    browser: () => new Browser(url),
    async close() {
      server.closeAllConnections()
      server.close()
      await stopAll(deps.startables, logger)
      if (environment === undefined) await own.cleanup()
    },
  }
}
