import { createTestDatabase, type TestDatabase } from '../src/testing.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { attemptsWait, clearAttempts, pruneAttempts, recordAttempt } from '../src/index.js'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.drop())

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('attempt windows', () => {
  it('counts concurrent attempts in one window, and waits out the window at the limit', async () => {
    const counts = await Promise.all(
      Array.from({ length: 10 }, () => recordAttempt(db.prisma, 'key-a', 60_000)),
    )
    expect(counts.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(await attemptsWait(db.prisma, 'key-a', 60_000, 11)).toBe(0)
    const wait = await attemptsWait(db.prisma, 'key-a', 60_000, 10)
    expect(wait).toBeGreaterThanOrEqual(59)
    expect(wait).toBeLessThanOrEqual(60)
    expect(await attemptsWait(db.prisma, 'key-b', 60_000, 1)).toBe(0)
    await clearAttempts(db.prisma, 'key-a')
    expect(await attemptsWait(db.prisma, 'key-a', 60_000, 1)).toBe(0)
  })

  it('starts a new window once the last one ended, and prunes old windows', async () => {
    expect(await recordAttempt(db.prisma, 'key-c', 200)).toBe(1)
    expect(await recordAttempt(db.prisma, 'key-c', 200)).toBe(2)
    expect(await attemptsWait(db.prisma, 'key-c', 200, 2)).toBe(1)
    await sleep(250)
    expect(await attemptsWait(db.prisma, 'key-c', 200, 2)).toBe(0)
    expect(await recordAttempt(db.prisma, 'key-c', 200)).toBe(1)
    await recordAttempt(db.prisma, 'key-d', 60_000)
    await sleep(50)
    expect(await pruneAttempts(db.prisma, 40)).toBe(2)
    expect(await db.prisma.attemptWindow.count()).toBe(0)
  })
})
