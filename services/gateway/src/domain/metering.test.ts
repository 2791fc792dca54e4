import { createLogger } from '@pinion/service-kit'
import type { UsageDelta } from '@pinion/db'
import { describe, expect, it } from 'vitest'
import { createQuotaGuard } from './quota.js'
import { createUsageMeter } from './usage-meter.js'

const logger = createLogger({ service: 'meter-test', level: 'silent' })
class Down extends Error {}

function fakeDatabase() {
  const rows = new Map<string, bigint>()
  let down = false
  const bad = new Set<string>()
  return {
    rows,
    setDown: (value: boolean) => (down = value),
    bad,
    async writeBatch(deltas: readonly UsageDelta[]) {
      if (down) throw new Down('database down')
      if (deltas.some((delta) => bad.has(delta.userId))) throw new Error('foreign key violation')
      for (const delta of deltas)
        rows.set(delta.userId, (rows.get(delta.userId) ?? 0n) + BigInt(delta.delta))
    },
  }
}

describe('usage meter', () => {
  it('sums in memory and writes one batch per flush', async () => {
    const db = fakeDatabase()
    let batches = 0
    const meter = createUsageMeter(
      {
        logger,
        writeBatch: (d) => ((batches += 1), db.writeBatch(d)),
        isTransient: (e) => e instanceof Down,
      },
      { flushMs: 60_000 },
    )
    meter.record('a', 10)
    meter.record('a', 5)
    meter.record('b', 1)
    meter.record('b', 0)
    expect(db.rows.size).toBe(0)
    await meter.flush()
    expect(batches).toBe(1)
    expect(Object.fromEntries(db.rows)).toEqual({ a: 15n, b: 1n })
    expect(meter.recorded('a')).toBe(15n)
    await meter.flush()
    expect(batches).toBe(1)
  })

  it('keeps deltas while the database is down and isolates a bad user', async () => {
    const db = fakeDatabase()
    const meter = createUsageMeter(
      { logger, writeBatch: db.writeBatch, isTransient: (e) => e instanceof Down },
      { flushMs: 60_000 },
    )
    meter.record('a', 7)
    db.setDown(true)
    await meter.flush()
    expect(meter.pending('a')).toBe(7n)
    db.setDown(false)
    db.bad.add('gone')
    meter.record('gone', 3)
    await meter.flush()
    expect(db.rows.get('a')).toBe(7n)
    expect(meter.pending('gone')).toBe(0n)
  })

  it('flushes on an interval and at stop', async () => {
    const db = fakeDatabase()
    const meter = createUsageMeter(
      { logger, writeBatch: db.writeBatch, isTransient: () => false },
      { flushMs: 20 },
    )
    await meter.start()
    meter.record('a', 1)
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(db.rows.get('a')).toBe(1n)
    meter.record('a', 2)
    await meter.stop()
    expect(db.rows.get('a')).toBe(3n)
  })
})

describe('quota guard', () => {
  it('refuses once database usage plus bytes served since reach the limit', async () => {
    const meter = createUsageMeter(
      { logger, writeBatch: async () => undefined, isTransient: () => false },
      { flushMs: 60_000 },
    )
    let dbUsed = 900n
    let reads = 0
    const guard = createQuotaGuard(
      { meter, userLimit: async () => null, usedSince: async () => ((reads += 1), dbUsed) },
      { defaultLimit: 1000n, cacheMs: 60_000 },
    )
    await guard.assertWithinQuota('a')
    meter.record('a', 99)
    await guard.assertWithinQuota('a')
    meter.record('a', 1)
    await expect(guard.assertWithinQuota('a')).rejects.toMatchObject({
      reason: 'INSUFFICIENT_FUNDS',
    })
    expect(reads).toBe(1)
    dbUsed = 0n
  })

  it('uses the per-user override and skips the usage read without a limit', async () => {
    const meter = createUsageMeter(
      { logger, writeBatch: async () => undefined, isTransient: () => false },
      { flushMs: 60_000 },
    )
    let reads = 0
    const guard = createQuotaGuard(
      {
        meter,
        userLimit: async (id) => (id === 'zero' ? 0n : null),
        usedSince: async () => ((reads += 1), 0n),
      },
      { defaultLimit: undefined, cacheMs: 0 },
    )
    await guard.assertWithinQuota('free')
    expect(reads).toBe(0)
    await expect(guard.assertWithinQuota('zero')).rejects.toMatchObject({
      reason: 'INSUFFICIENT_FUNDS',
    })
  })

  it('starts a new month from the database again', async () => {
    const meter = createUsageMeter(
      { logger, writeBatch: async () => undefined, isTransient: () => false },
      { flushMs: 60_000 },
    )
    let now = new Date('2030-01-31T23:59:00Z')
    const froms: string[] = []
    const guard = createQuotaGuard(
      {
        meter,
        userLimit: async () => null,
        usedSince: async (_id, from) => (froms.push(from.toISOString()), 0n),
        now: () => now,
      },
      { defaultLimit: 10n, cacheMs: 3_600_000 },
    )
    await guard.assertWithinQuota('a')
    now = new Date('2030-02-01T00:01:00Z')
    await guard.assertWithinQuota('a')
    expect(froms).toEqual(['2030-01-01T00:00:00.000Z', '2030-02-01T00:00:00.000Z'])
  })
})
