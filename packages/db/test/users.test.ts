import { createTestDatabase, type TestDatabase } from '../src/testing.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createApiToken,
  createUser,
  deleteIdentity,
  disableUser,
  enableUser,
  findActiveApiToken,
  findIdentity,
  findUserByEmail,
  findUserById,
  isUniqueViolation,
  listIdentities,
  listUsers,
  updateUser,
  upsertIdentity,
} from '../src/index.js'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.drop())

describe('users', () => {
  it('creates an account and finds it by id and by e-mail in any case', async () => {
    const user = await createUser(db.prisma, { email: ' Ada@Example.org ', displayName: 'Ada' })
    expect(user).toMatchObject({ email: 'Ada@Example.org', role: 'user', passwordHash: null })
    expect((await findUserById(db.prisma, user.id))?.email).toBe('Ada@Example.org')
    expect((await findUserByEmail(db.prisma, 'ADA@example.ORG'))?.id).toBe(user.id)
    expect(await findUserById(db.prisma, 'not-a-uuid')).toBeNull()
    expect(await findUserById(db.prisma, '00000000-0000-4000-8000-000000000000')).toBeNull()
  })

  it('refuses a second account with the same e-mail in another case', async () => {
    await createUser(db.prisma, { email: 'grace@example.org', displayName: 'Grace' })
    const error = await createUser(db.prisma, {
      email: 'GRACE@example.org',
      displayName: 'Grace again',
    }).catch((caught: unknown) => caught)
    expect(isUniqueViolation(error, 'users_email_key')).toBe(true)
    expect(isUniqueViolation(error, 'some_other_key')).toBe(false)
  })

  it('updates fields and quota overrides, and lists accounts by e-mail', async () => {
    const user = await createUser(db.prisma, { email: 'quota@example.org', displayName: 'Q' })
    const updated = await updateUser(db.prisma, user.id, {
      displayName: 'Quota',
      role: 'admin',
      maxPins: 5,
      maxStoredBytes: 10n ** 12n,
      maxGatewayBytesPerMonth: null,
    })
    expect(updated).toMatchObject({ displayName: 'Quota', role: 'admin', maxPins: 5 })
    expect(updated?.maxStoredBytes).toBe(10n ** 12n)
    expect(await updateUser(db.prisma, '00000000-0000-4000-8000-000000000000', {})).toBeNull()

    const emails = (await listUsers(db.prisma)).map((u) => u.email)
    expect(emails).toEqual([...emails].sort())
    const afterFirst = await listUsers(db.prisma, { afterEmail: emails[0], limit: 1 })
    expect(afterFirst.map((u) => u.email)).toEqual([emails[1]])
  })

  it('disables an account and revokes its tokens in one step, then re-enables it', async () => {
    const user = await createUser(db.prisma, { email: 'off@example.org', displayName: 'Off' })
    const token = await createApiToken(db.prisma, {
      userId: user.id,
      name: 't',
      scopes: ['pinning'],
    })
    expect(await disableUser(db.prisma, user.id)).toBe(true)
    expect(await disableUser(db.prisma, user.id)).toBe(false)
    expect((await findUserById(db.prisma, user.id))?.disabledAt).toBeInstanceOf(Date)
    const stored = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } })
    expect(stored.revokedAt).toBeInstanceOf(Date)
    expect(await enableUser(db.prisma, user.id)).toBe(true)
    expect(await enableUser(db.prisma, user.id)).toBe(false)
    // Re-enabling does not resurrect the revoked token.
    expect(await findActiveApiToken(db.prisma, token.id)).toBeNull()
  })
})

describe('identities', () => {
  it('links an external account once and refreshes its profile on later sign-ins', async () => {
    const user = await createUser(db.prisma, { email: 'octo@example.org', displayName: 'Octo' })
    const first = await upsertIdentity(db.prisma, {
      userId: user.id,
      provider: 'github',
      subject: '583231',
      email: 'octo@example.org',
      profile: { login: 'octocat' },
    })
    const again = await upsertIdentity(db.prisma, {
      userId: user.id,
      provider: 'github',
      subject: '583231',
      profile: { login: 'octocat2' },
    })
    expect(again.id).toBe(first.id)
    expect(again.profile).toEqual({ login: 'octocat2' })
    expect(again.email).toBeNull()

    const found = await findIdentity(db.prisma, 'github', '583231')
    expect(found?.user.id).toBe(user.id)
    expect(await findIdentity(db.prisma, 'oidc:https://id.example', '583231')).toBeNull()

    await upsertIdentity(db.prisma, {
      userId: user.id,
      provider: 'oidc:https://id.example',
      subject: 's',
    })
    expect((await listIdentities(db.prisma, user.id)).map((i) => i.provider)).toEqual([
      'github',
      'oidc:https://id.example',
    ])
  })

  it('unlinks only the owner’s identity', async () => {
    const owner = await createUser(db.prisma, { email: 'own@example.org', displayName: 'O' })
    const other = await createUser(db.prisma, { email: 'other@example.org', displayName: 'X' })
    const identity = await upsertIdentity(db.prisma, {
      userId: owner.id,
      provider: 'github',
      subject: '42',
    })
    expect(await deleteIdentity(db.prisma, other.id, identity.id)).toBe(false)
    expect(await deleteIdentity(db.prisma, owner.id, identity.id)).toBe(true)
    expect(await deleteIdentity(db.prisma, owner.id, identity.id)).toBe(false)
    expect(await listIdentities(db.prisma, 'garbage')).toEqual([])
  })
})
