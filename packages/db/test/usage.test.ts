import { createTestDatabase, type TestDatabase } from '../src/testing.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addUsage, addUsageBatch, createUser, sumUsage, type User } from '../src/index.js'

let db: TestDatabase
let ada: User
let bob: User
beforeAll(async () => {
  db = await createTestDatabase()
  ada = await createUser(db.prisma, { email: 'ada@example.org', displayName: 'Ada' })
  bob = await createUser(db.prisma, { email: 'bob@example.org', displayName: 'Bob' })
})
afterAll(() => db.drop())

const day1 = new Date('2030-03-01T10:00:00Z')
const day1Late = new Date('2030-03-01T23:59:59.999Z')
const day2 = new Date('2030-03-02T00:00:00Z')

describe('usage counters', () => {
  it('adds concurrent increments into one row per user, metric and UTC day', async () => {
    await Promise.all(
      Array.from({ length: 100 }, () => addUsage(db.prisma, ada.id, 'gateway_bytes', 1000, day1)),
    )
    await addUsage(db.prisma, ada.id, 'gateway_bytes', 5n, day1Late)
    await addUsage(db.prisma, ada.id, 'gateway_bytes', 7, day2)
    const rows = await db.prisma.usageCounter.findMany({
      where: { userId: ada.id, metric: 'gateway_bytes' },
      orderBy: { periodStart: 'asc' },
    })
    expect(rows.map((row) => [row.periodStart.toISOString().slice(0, 10), row.value])).toEqual([
      ['2030-03-01', 100_005n],
      ['2030-03-02', 7n],
    ])
  })

  it('sums over a range of days, and all time', async () => {
    expect(await sumUsage(db.prisma, ada.id, 'gateway_bytes')).toBe(100_012n)
    expect(await sumUsage(db.prisma, ada.id, 'gateway_bytes', { from: day2 })).toBe(7n)
    expect(await sumUsage(db.prisma, ada.id, 'gateway_bytes', { to: day1Late })).toBe(100_005n)
    expect(await sumUsage(db.prisma, ada.id, 'upload_bytes')).toBe(0n)
    expect(await sumUsage(db.prisma, 'nobody', 'upload_bytes')).toBe(0n)
  })

  it('applies a batch for many users at once, summing duplicates, with gauges going down', async () => {
    const written = await addUsageBatch(db.prisma, [
      { userId: ada.id, metric: 'stored_bytes', delta: 2n ** 40n, at: day1 },
      { userId: bob.id, metric: 'stored_bytes', delta: 300, at: day1 },
      { userId: ada.id, metric: 'stored_bytes', delta: -1000, at: day1 },
      { userId: bob.id, metric: 'pin_count', delta: 1, at: day1 },
      { userId: bob.id, metric: 'pin_count', delta: -1, at: day1 },
    ])
    expect(written).toBe(2)
    expect(await sumUsage(db.prisma, ada.id, 'stored_bytes')).toBe(2n ** 40n - 1000n)
    expect(await sumUsage(db.prisma, bob.id, 'stored_bytes')).toBe(300n)
    expect(await sumUsage(db.prisma, bob.id, 'pin_count')).toBe(0n)
    expect(await addUsageBatch(db.prisma, [])).toBe(0)
  })

  it('keeps concurrent overlapping batches consistent (no lost update, no deadlock)', async () => {
    const batch = [
      { userId: ada.id, metric: 'upload_bytes' as const, delta: 1, at: day2 },
      { userId: bob.id, metric: 'upload_bytes' as const, delta: 2, at: day2 },
    ]
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        addUsageBatch(db.prisma, i % 2 === 0 ? batch : [...batch].reverse()),
      ),
    )
    expect(await sumUsage(db.prisma, ada.id, 'upload_bytes')).toBe(40n)
    expect(await sumUsage(db.prisma, bob.id, 'upload_bytes')).toBe(80n)
  })

  it('rejects a fractional delta before touching the database', async () => {
    await expect(addUsage(db.prisma, ada.id, 'upload_bytes', 1.5)).rejects.toThrow(RangeError)
  })
})
