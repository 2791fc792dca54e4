import { createTestDatabase, type TestDatabase } from '../src/testing.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createApiToken,
  createUser,
  disableUser,
  findActiveApiToken,
  listApiTokens,
  listRevokedApiTokensSince,
  revocationPollOverlapMs,
  revokeApiToken,
  touchApiToken,
  type User,
} from '../src/index.js'

let db: TestDatabase
let ada: User
let bob: User
beforeAll(async () => {
  db = await createTestDatabase()
  ada = await createUser(db.prisma, { email: 'ada@example.org', displayName: 'Ada' })
  bob = await createUser(db.prisma, { email: 'bob@example.org', displayName: 'Bob' })
})
afterAll(() => db.drop())

describe('API tokens', () => {
  it('creates tokens whose id is a UUID and lists a user’s own, newest first', async () => {
    const first = await createApiToken(db.prisma, {
      userId: ada.id,
      name: 'laptop',
      scopes: ['pinning'],
    })
    const second = await createApiToken(db.prisma, {
      userId: ada.id,
      name: 'ci',
      scopes: ['pinning', 'upload'],
      expiresAt: new Date(Date.now() + 60_000),
    })
    await createApiToken(db.prisma, { userId: bob.id, name: 'bob', scopes: [] })
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(second.scopes).toEqual(['pinning', 'upload'])
    const listed = await listApiTokens(db.prisma, ada.id)
    expect(listed.map((t) => t.id)).toEqual([second.id, first.id])
  })

  it('finds a token active only while unrevoked, unexpired and its owner enabled', async () => {
    const now = new Date()
    const live = await createApiToken(db.prisma, { userId: ada.id, name: 'live', scopes: [] })
    const expired = await createApiToken(db.prisma, {
      userId: ada.id,
      name: 'old',
      scopes: [],
      expiresAt: new Date(now.getTime() - 1),
    })
    expect((await findActiveApiToken(db.prisma, live.id))?.id).toBe(live.id)
    expect(await findActiveApiToken(db.prisma, expired.id)).toBeNull()
    expect(await findActiveApiToken(db.prisma, 'x')).toBeNull()

    const carol = await createUser(db.prisma, { email: 'carol@example.org', displayName: 'C' })
    const carols = await createApiToken(db.prisma, { userId: carol.id, name: 'c', scopes: [] })
    await db.prisma.user.update({ where: { id: carol.id }, data: { disabledAt: now } })
    expect(await findActiveApiToken(db.prisma, carols.id)).toBeNull()
  })

  it('revokes only the owner’s token, once', async () => {
    const token = await createApiToken(db.prisma, { userId: ada.id, name: 'r', scopes: [] })
    expect(await revokeApiToken(db.prisma, { id: token.id, userId: bob.id })).toBe(false)
    expect(await revokeApiToken(db.prisma, { id: token.id, userId: ada.id })).toBe(true)
    expect(await revokeApiToken(db.prisma, { id: token.id })).toBe(false)
    expect(await findActiveApiToken(db.prisma, token.id)).toBeNull()
    expect((await listApiTokens(db.prisma, ada.id)).map((t) => t.id)).not.toContain(token.id)
    expect(
      (await listApiTokens(db.prisma, ada.id, { includeRevoked: true })).map((t) => t.id),
    ).toContain(token.id)
  })

  it('writes last-used at most once per interval', async () => {
    const token = await createApiToken(db.prisma, { userId: ada.id, name: 'busy', scopes: [] })
    const t0 = new Date('2030-01-01T00:00:00Z')
    expect(await touchApiToken(db.prisma, token.id, { at: t0 })).toBe(true)
    expect(await touchApiToken(db.prisma, token.id, { at: new Date(t0.getTime() + 30_000) })).toBe(
      false,
    )
    expect(await touchApiToken(db.prisma, token.id, { at: new Date(t0.getTime() + 61_000) })).toBe(
      true,
    )
    const stored = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } })
    expect(stored.lastUsedAt?.toISOString()).toBe('2030-01-01T00:01:01.000Z')
  })

  it('lists revocations since a point, with overlapping polls that never miss one', async () => {
    const initial = await listRevokedApiTokensSince(db.prisma, new Date(0))
    const known = new Set(initial.revoked.map((r) => r.id))

    const dave = await createUser(db.prisma, { email: 'dave@example.org', displayName: 'D' })
    const a = await createApiToken(db.prisma, { userId: dave.id, name: 'a', scopes: [] })
    const b = await createApiToken(db.prisma, { userId: dave.id, name: 'b', scopes: [] })
    await revokeApiToken(db.prisma, { id: a.id })
    const page = await listRevokedApiTokensSince(db.prisma, initial.next)
    expect(page.revoked.map((r) => r.id)).toContain(a.id)
    expect(page.revoked.map((r) => r.id)).not.toContain(b.id)
    for (const r of page.revoked) known.add(r.id)
    expect(page.next.getTime()).toBeGreaterThan(initial.next.getTime() - 1)
    expect(Date.now() - page.next.getTime()).toBeGreaterThanOrEqual(revocationPollOverlapMs - 1000)

    // Disabling the user revokes b too; the next poll sees it.
    await disableUser(db.prisma, dave.id)
    const later = await listRevokedApiTokensSince(db.prisma, page.next)
    expect(later.revoked.map((r) => r.id)).toContain(b.id)
    expect(later.revoked.every((r) => r.revokedAt.getTime() >= page.next.getTime())).toBe(true)
  })
})
