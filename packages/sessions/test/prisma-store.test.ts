import { createUser } from '@pinion/db'
import { createTestDatabase, type TestDatabase } from '@pinion/db/testing'
import type session from 'express-session'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PrismaSessionStore } from '../src/index.js'

let db: TestDatabase
let store: PrismaSessionStore

beforeAll(async () => {
  db = await createTestDatabase()
  store = new PrismaSessionStore(db.prisma, { maxAgeMs: 60_000 })
})
afterAll(() => db.drop())

const call = <T>(run: (done: (error: unknown, value?: T) => void) => void) =>
  new Promise<T | undefined>((resolve, reject) =>
    run((error, value) => (error ? reject(error as Error) : resolve(value))),
  )

function data(expires: Date, user?: string): session.SessionData {
  return {
    cookie: { originalMaxAge: 60_000, expires, httpOnly: true, path: '/' },
    ...(user === undefined ? {} : { passport: { user } }),
  } as unknown as session.SessionData
}

describe('PrismaSessionStore', () => {
  it('stores, reads, touches and destroys a session, mirroring the user id', async () => {
    const user = await createUser(db.prisma, { email: 's@example.org', displayName: 'S' })
    const expires = new Date(Date.now() + 60_000)
    await call((done) => store.set('sid-1', data(expires, user.id), done))
    const row = await db.prisma.session.findUnique({ where: { sid: 'sid-1' } })
    expect(row?.userId).toBe(user.id)
    expect(row?.expiresAt.getTime()).toBe(expires.getTime())
    const read = await call<session.SessionData | null>((done) => store.get('sid-1', done))
    expect((read as { passport?: { user: string } }).passport?.user).toBe(user.id)

    const later = new Date(Date.now() + 120_000)
    await call((done) => store.touch('sid-1', data(later, user.id), () => done(null)))
    expect((await db.prisma.session.findUnique({ where: { sid: 'sid-1' } }))?.expiresAt).toEqual(
      later,
    )
    await call((done) => store.destroy('sid-1', done))
    expect(await call((done) => store.get('sid-1', done))).toBeNull()
  })

  it('treats expired rows as absent and prunes them; destroys all sessions of a user', async () => {
    const user = await createUser(db.prisma, { email: 't@example.org', displayName: 'T' })
    await call((done) => store.set('old', data(new Date(Date.now() - 1000)), done))
    await call((done) => store.set('a', data(new Date(Date.now() + 60_000), user.id), done))
    await call((done) => store.set('b', data(new Date(Date.now() + 60_000), user.id), done))
    await call((done) => store.set('anon', data(new Date(Date.now() + 60_000)), done))
    expect(await call((done) => store.get('old', done))).toBeNull()
    expect(await store.prune()).toBe(1)
    expect(await store.destroyAllOf(user.id)).toBe(2)
    expect(await store.destroyAllOf('not-a-uuid')).toBe(0)
    const left = await db.prisma.session.findMany({ select: { sid: true } })
    expect(left.map((row) => row.sid)).toEqual(['anon'])
  })
})
