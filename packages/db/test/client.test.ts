import { createLogger, ServiceUnavailableError } from '@pinion/service-kit'
import {
  createTcpProxy,
  postgresAdminUrl,
  withPostgresClient,
  type TcpProxy,
} from '@pinion/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../src/testing.js'
import {
  createDatabase,
  createUser,
  isDatabaseUnavailableError,
  translateDatabaseError,
  type Database,
} from '../src/index.js'

const logger = createLogger({ service: 'test', level: 'silent' })

let testDb: TestDatabase
let proxy: TcpProxy
let db: Database
beforeAll(async () => {
  testDb = await createTestDatabase()
  const target = new URL(testDb.url)
  proxy = await createTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
  db = createDatabase({ url: proxy.rewriteUrl(testDb.url), logger })
})
afterEach(() => {
  proxy.restore()
})
afterAll(async () => {
  await db.close()
  await proxy.close()
  await testDb.drop()
})

/** Runs `fn`, expecting it to fail; returns the error and how long failing took. */
async function failure(fn: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now()
  try {
    await fn()
  } catch (error) {
    return { error, ms: Date.now() - started }
  }
  throw new Error('expected a failure')
}

const queries: Record<string, (db: Database) => Promise<unknown>> = {
  'a model query': (d) => d.prisma.user.count(),
  'a raw query': (d) => d.prisma.$queryRaw`SELECT 1`,
  'an interactive transaction': (d) => d.prisma.$transaction((tx) => tx.user.count()),
}

describe('createDatabase while Postgres is unreachable', () => {
  for (const mode of ['reset', 'blackhole'] as const) {
    for (const [label, query] of Object.entries(queries)) {
      it(`fails ${label} fast with a 503 translation when connections are ${mode}, then recovers`, async () => {
        await db.prisma.user.count()
        proxy.cut(mode)
        const { error, ms } = await failure(() => query(db))
        expect(isDatabaseUnavailableError(error)).toBe(true)
        const translated = db.errorTranslator(error)
        expect(translated).toBeInstanceOf(ServiceUnavailableError)
        expect(translated?.reason).toBe('SERVICE_UNAVAILABLE')
        // connectTimeoutMs is 1000; leave room for a loaded machine but far below a hang.
        expect(ms).toBeLessThan(2500)
        proxy.restore()
        expect(await query(db)).toBeDefined()
      })
    }
  }

  it('translates a refused connection (nothing listening)', async () => {
    const closedPort = await createTcpProxy({ host: '127.0.0.1', port: 1 })
    const url = closedPort.rewriteUrl(testDb.url)
    await closedPort.close()
    const down = createDatabase({ url, logger })
    try {
      const { error } = await failure(() => down.prisma.user.count())
      expect(translateDatabaseError(error)).toBeInstanceOf(ServiceUnavailableError)
    } finally {
      await down.close()
    }
  })

  it('translates a pool that stays busy past the connect timeout', async () => {
    const busy = createDatabase({ url: testDb.url, logger, poolMax: 1, connectTimeoutMs: 200 })
    try {
      let entered!: () => void
      const inside = new Promise<void>((resolve) => (entered = resolve))
      const holding = busy.prisma.$transaction(async (tx) => {
        entered()
        await tx.$executeRaw`SELECT pg_sleep(0.6)`
      })
      await inside
      const { error } = await failure(() => busy.prisma.user.count())
      expect(translateDatabaseError(error)).toBeInstanceOf(ServiceUnavailableError)
      await holding
    } finally {
      await busy.close()
    }
  })

  it('starts without throwing, reports not ready, and becomes ready when Postgres returns', async () => {
    proxy.cut('reset')
    await expect(db.startable.start()).resolves.toBeUndefined()
    await expect(db.healthCheck.check(new AbortController().signal)).rejects.toThrow()
    proxy.restore()
    await expect(db.healthCheck.check(new AbortController().signal)).resolves.toBeUndefined()
  })

  it('lets the health check give up when its signal aborts', async () => {
    proxy.cut('blackhole')
    // Let the pool notice that its idle connections were cut, so the probe opens a new one.
    await new Promise((resolve) => setTimeout(resolve, 100))
    const controller = new AbortController()
    const started = Date.now()
    const check = db.healthCheck.check(controller.signal)
    setTimeout(() => controller.abort(new Error('probe deadline')), 100)
    await expect(check).rejects.toThrow('probe deadline')
    expect(Date.now() - started).toBeLessThan(900)
  })
})

describe('createDatabase error translation', () => {
  it('leaves unique violations and query errors untranslated', async () => {
    await createUser(db.prisma, { email: 'twice@example.org', displayName: 'T' })
    const duplicate = await failure(() =>
      createUser(db.prisma, { email: 'twice@example.org', displayName: 'T' }),
    )
    expect(db.errorTranslator(duplicate.error)).toBeUndefined()
    const badSql = await failure(() => db.prisma.$queryRaw`SELECT * FROM no_such_table`)
    expect(db.errorTranslator(badSql.error)).toBeUndefined()
    expect(db.errorTranslator(new Error('something else'))).toBeUndefined()
  })

  it('survives the server terminating its connections, and reconnects', async () => {
    const own = createDatabase({ url: testDb.url, logger })
    try {
      await Promise.all([own.prisma.user.count(), own.prisma.user.count()])
      const name = new URL(testDb.url).pathname.slice(1)
      const terminated = await withPostgresClient(postgresAdminUrl(), async (client) => {
        const { rowCount } = await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        )
        return rowCount ?? 0
      })
      expect(terminated).toBeGreaterThan(0)
      // The pool notices the dead connections (no uncaught 'error') and opens new ones.
      await expect.poll(() => own.prisma.user.count().catch(() => -1)).toBeGreaterThanOrEqual(0)
    } finally {
      await own.close()
    }
  })

  it('closes idempotently', async () => {
    const extra = createDatabase({ url: testDb.url, logger })
    await extra.prisma.user.count()
    await Promise.all([extra.close(), extra.close()])
    await extra.close()
  })
})
