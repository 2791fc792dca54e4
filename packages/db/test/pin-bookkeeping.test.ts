import { createTestDatabase, type TestDatabase } from '../src/testing.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  acquireCidReference,
  cidReferenceCount,
  createUser,
  nextPinCreated,
  releaseCidReference,
  type User,
} from '../src/index.js'

let db: TestDatabase
let ada: User
beforeAll(async () => {
  db = await createTestDatabase()
  ada = await createUser(db.prisma, { email: 'ada@example.org', displayName: 'Ada' })
})
afterAll(() => db.drop())

const slowTx = { maxWait: 30_000, timeout: 30_000 }

describe('nextPinCreated', () => {
  it('gives 200 concurrent pin inserts of one user 200 distinct timestamps', async () => {
    const inserted = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        db.prisma.$transaction(async (tx) => {
          const created = await nextPinCreated(tx, ada.id)
          return tx.pin.create({
            data: { userId: ada.id, cid: `cid-${i}`, cidKey: `cid-${i}`, created },
          })
        }, slowTx),
      ),
    )
    const times = inserted.map((pin) => pin.created.getTime())
    expect(new Set(times).size).toBe(200)
    const stored = await db.prisma.pin.count({ where: { userId: ada.id } })
    expect(stored).toBe(200)
  })

  it('follows the database clock and bumps by exactly 1 ms on a collision', async () => {
    const bob = await createUser(db.prisma, { email: 'bob@example.org', displayName: 'Bob' })
    const before = Date.now()
    const first = await nextPinCreated(db.prisma, bob.id)
    expect(Math.abs(first.getTime() - before)).toBeLessThan(60_000)
    // Move the user's clock into the future: the next value must be exactly 1 ms later.
    const future = new Date(Date.now() + 3_600_000)
    await db.prisma.pinClock.update({ where: { userId: bob.id }, data: { lastCreated: future } })
    const bumped = await nextPinCreated(db.prisma, bob.id)
    expect(bumped.getTime()).toBe(future.getTime() + 1)
  })

  it('keeps users independent and rejects a malformed id', async () => {
    const carol = await createUser(db.prisma, { email: 'carol@example.org', displayName: 'C' })
    const [a, b] = await Promise.all([
      nextPinCreated(db.prisma, carol.id),
      nextPinCreated(db.prisma, ada.id),
    ])
    expect(a).toBeInstanceOf(Date)
    expect(b).toBeInstanceOf(Date)
    await expect(nextPinCreated(db.prisma, 'nope')).rejects.toThrow(RangeError)
  })

  it('has the database refuse two pins of a user with the same created', async () => {
    const created = new Date('2031-01-01T00:00:00.123Z')
    await db.prisma.pin.create({ data: { userId: ada.id, cid: 'x', cidKey: 'x', created } })
    await expect(
      db.prisma.pin.create({ data: { userId: ada.id, cid: 'y', cidKey: 'y', created } }),
    ).rejects.toThrow(/Unique constraint/)
  })
})

describe('CID references', () => {
  it('counts references across concurrent acquires and releases without losing one', async () => {
    const key = 'bafkreiconcurrent'
    await Promise.all(
      Array.from({ length: 100 }, () =>
        db.prisma.$transaction((tx) => acquireCidReference(tx, key), slowTx),
      ),
    )
    expect(await cidReferenceCount(db.prisma, key)).toBe(100)

    const remaining = await Promise.all(
      Array.from({ length: 60 }, () => releaseCidReference(db.prisma, key)),
    )
    expect(await cidReferenceCount(db.prisma, key)).toBe(40)
    // Each release saw a distinct count: exactly one of them observed each value 40..99.
    expect([...remaining].sort((x, y) => x - y)).toEqual(
      Array.from({ length: 60 }, (_, i) => 40 + i),
    )
  })

  it('reports the first reference, reaches zero exactly once, and never goes negative', async () => {
    const key = 'bafkreilifecycle'
    expect(await cidReferenceCount(db.prisma, key)).toBe(0)
    expect(await acquireCidReference(db.prisma, key)).toBe(1)
    expect(await acquireCidReference(db.prisma, key)).toBe(2)
    const releases = await Promise.all([
      releaseCidReference(db.prisma, key),
      releaseCidReference(db.prisma, key),
      releaseCidReference(db.prisma, key),
    ])
    expect([...releases].sort()).toEqual([0, 0, 1])
    expect(await cidReferenceCount(db.prisma, key)).toBe(0)
    expect(await releaseCidReference(db.prisma, 'bafkreiunknown')).toBe(0)
    const row = await db.prisma.cidReference.findUniqueOrThrow({ where: { cidKey: key } })
    expect(row.refCount).toBe(0)
    await expect(
      db.prisma.cidReference.update({ where: { cidKey: key }, data: { refCount: -1 } }),
    ).rejects.toThrow()
  })

  it('locks the counter so an unpin decided on zero cannot race a new acquire', async () => {
    const key = 'bafkreilocked'
    await acquireCidReference(db.prisma, key)
    await releaseCidReference(db.prisma, key)
    const events: string[] = []
    let racing: Promise<void> | undefined
    await db.prisma.$transaction(async (tx) => {
      expect(await cidReferenceCount(tx, key, { lock: true })).toBe(0)
      racing = acquireCidReference(db.prisma, key).then((count) => {
        events.push(`acquired ${count}`)
      })
      await new Promise((resolve) => setTimeout(resolve, 200))
      events.push('unpinned')
    }, slowTx)
    await racing
    expect(events).toEqual(['unpinned', 'acquired 1'])
  })
})
