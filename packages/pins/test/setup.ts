/**
 * A pins domain on a fresh database and NATS namespace, wired the way services wire it (through
 * the platform), plus helpers to make users and CIDs.
 */
import { createUser, databaseSchema, type PrismaClient } from '@pinion/db'
import { natsSchema } from '@pinion/messaging'
import { createServiceContext } from '@pinion/platform'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll, type HealthCheck } from '@pinion/service-kit'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { z } from 'zod'
import { createPins, type Pins } from '../src/index.js'

export const delegates = [
  '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp',
]

const ConfigSchema = z.object({ ...databaseSchema.shape, ...natsSchema.shape })

export interface PinsFixture {
  readonly pins: Pins
  readonly environment: TestEnvironment
  readonly prisma: PrismaClient
  /** The same domain on a NATS that is down (publishing always fails). */
  readonly pinsWithoutNats: Pins
  newUser(limits?: { maxPins?: number; maxStoredBytes?: bigint }): Promise<string>
  stop(): Promise<void>
}

export async function startPins(): Promise<PinsFixture> {
  const environment = await createTestEnvironment()
  const logger = createLogger({ service: 'pins-test', level: 'silent' })
  const up = createServiceContext('pins-test', logger)
  const config = parseConfig(ConfigSchema, environment.env)
  const database = up.platform.database(config)
  const messaging = up.platform.messaging(config).messaging
  await startAll(up.deps.startables, logger)
  await ready(up.deps.readinessChecks)

  // Port 1 on loopback refuses connections: a NATS that is down for the whole test.
  const down = createServiceContext('pins-test-down', logger)
  const downMessaging = down.platform.messaging({ ...config, NATS_URL: ['nats://127.0.0.1:1'] })
  await startAll(down.deps.startables, logger)

  const pins = createPins({ database, messaging, logger, delegates })
  const pinsWithoutNats = createPins({
    database,
    messaging: downMessaging.messaging,
    logger,
    delegates,
  })
  let users = 0
  return {
    pins,
    pinsWithoutNats,
    environment,
    prisma: database.prisma,
    async newUser(limits = {}) {
      users += 1
      const user = await createUser(database.prisma, {
        email: `pins-${users}-${Date.now()}@example.org`,
        displayName: `User ${users}`,
      })
      if (limits.maxPins !== undefined || limits.maxStoredBytes !== undefined) {
        await database.prisma.user.update({
          where: { id: user.id },
          data: { maxPins: limits.maxPins ?? null, maxStoredBytes: limits.maxStoredBytes ?? null },
        })
      }
      return user.id
    },
    async stop() {
      await stopAll(down.deps.startables, logger)
      await stopAll(up.deps.startables, logger)
      await environment.cleanup()
    },
  }
}

/** A distinct raw-block CID (v1, base32) for `seed`. */
export async function cidFor(seed: string): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(seed)))
}

/** Waits until every readiness check passes (NATS connected and its streams provisioned), as a
 * readiness probe would before traffic arrives. */
export async function ready(checks: readonly HealthCheck[]): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      for (const check of checks) await check.check(AbortSignal.timeout(5000))
      return
    } catch (error) {
      if (attempt > 300) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}
