/**
 * One call that gives a service test everything the platform needs, isolated from every other test
 * running against the same servers: a fresh migrated database, a NATS namespace of its own and a
 * signing key. The returned `env` is what a service's `loadConfig` reads.
 *
 * @example
 * ```ts
 * const environment = await createTestEnvironment()
 * const config = parseConfig(ConfigSchema, environment.env)
 * afterAll(() => environment.cleanup())
 * ```
 */
import { generateSigningKey } from '@pinion/auth'
import { createTestDatabase, type TestDatabase } from '@pinion/db/testing'
import { cleanupNamespace, natsUrl, uniqueNamespace } from '@pinion/testing'

export interface TestEnvironment {
  /** Environment variables for a service's config: database, NATS namespace, auth key, quiet logs. */
  readonly env: Record<string, string>
  readonly database: TestDatabase
  readonly namespace: string
  /** Drops the database and the namespace's streams. */
  cleanup(): Promise<void>
}

export async function createTestEnvironment(
  extra: Record<string, string> = {},
): Promise<TestEnvironment> {
  const database = await createTestDatabase()
  const namespace = uniqueNamespace()
  const key = generateSigningKey()
  return {
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.PINION_TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: '5',
      NATS_URL: natsUrl(),
      NATS_NAMESPACE: namespace,
      AUTH_SIGNING_KEY: key.privateKeyPem,
      AUTH_REVOCATION_POLL_MS: '500',
      ...extra,
    },
    database,
    namespace,
    async cleanup() {
      await database.drop()
      await cleanupNamespace(natsUrl(), namespace)
    },
  }
}
