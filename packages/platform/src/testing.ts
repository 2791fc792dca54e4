/**
 * One call that gives a service test everything the platform needs, isolated from every other test
 * running against the same servers: a fresh migrated database, a NATS namespace of its own and a
 * signing key, a prover secrets key and a temporary local blockstore. The returned `env` is what a service's `loadConfig` reads.
 *
 * @example
 * ```ts
 * const environment = await createTestEnvironment()
 * const config = parseConfig(ConfigSchema, environment.env)
 * afterAll(() => environment.cleanup())
 * ```
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateSigningKey } from '@pinion/auth'
import { createTestDatabase, type TestDatabase } from '@pinion/db/testing'
import { cleanupNamespace, natsUrl, uniqueNamespace } from '@pinion/testing'

export interface TestEnvironment {
  /** Environment variables for a service's config: database, NATS namespace, auth key, quiet logs. */
  readonly env: Record<string, string>
  readonly database: TestDatabase
  readonly namespace: string
  /** A temporary directory for the local blockstore (BLOCKSTORE_PATH). */
  readonly blockstorePath: string
  /** Drops the database and the namespace's streams, and removes the blockstore directory. */
  cleanup(): Promise<void>
}

export async function createTestEnvironment(
  extra: Record<string, string> = {},
): Promise<TestEnvironment> {
  const database = await createTestDatabase()
  const namespace = uniqueNamespace()
  const key = generateSigningKey()
  const blockstorePath = await mkdtemp(join(tmpdir(), 'pinion-blocks-'))
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
      BLOCKSTORE: 'local',
      BLOCKSTORE_PATH: blockstorePath,
      PROVER_SECRETS_KEY: randomBytes(32).toString('hex'),
      ...extra,
    },
    database,
    namespace,
    blockstorePath,
    async cleanup() {
      await database.drop()
      await cleanupNamespace(natsUrl(), namespace)
      await rm(blockstorePath, { recursive: true, force: true })
    },
  }
}
