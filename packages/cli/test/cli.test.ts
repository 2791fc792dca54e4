import { createTokenVerifier, generateSigningKey } from '@pinion/auth'
import { findActiveApiToken, findUserByEmail } from '@pinion/db'
import { verifyPassword } from '@pinion/sessions'
import { createDatabase, dropDatabase } from '@pinion/testing'
import { createLogger } from '@pinion/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/index.js'
import { createTestDatabase, type TestDatabase } from '@pinion/db/testing'

let testDb: TestDatabase
let emptyDbUrl: string
const key = generateSigningKey()

beforeAll(async () => {
  testDb = await createTestDatabase()
  emptyDbUrl = await createDatabase()
})
afterAll(async () => {
  await testDb.drop()
  await dropDatabase(emptyDbUrl)
})

async function pinion(argv: string[], env: Record<string, string> = {}, stdin?: string) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, {
    env: { DATABASE_URL: testDb.url, AUTH_SIGNING_KEY: key.privateKeyPem, ...env },
    ...(stdin === undefined ? {} : { readStdin: () => Promise.resolve(stdin) }),
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    logger: createLogger({ service: 'cli-test', level: 'silent' }),
  })
  return { code, out, err: err.join('\n') }
}

describe('pinion migrate', () => {
  it('migrates an empty database from zero, then applies nothing', async () => {
    const first = await pinion(['migrate'], { DATABASE_URL: emptyDbUrl })
    expect(first.code).toBe(0)
    expect(first.out.length).toBeGreaterThan(0)
    const second = await pinion(['migrate'], { DATABASE_URL: emptyDbUrl })
    expect(second).toMatchObject({ code: 0, out: [] })
    expect(second.err).toContain('up to date')
  })

  it('names the missing variable when DATABASE_URL is absent', async () => {
    const result = await pinion(['migrate'], { DATABASE_URL: '' })
    expect(result.code).toBe(2)
    expect(result.err).toContain('DATABASE_URL')
  })
})

describe('pinion user and token', () => {
  it('creates a user, issues a token that verifies, lists it, and revokes it', async () => {
    const created = await pinion(['user', 'create', 'ada@example.org', '--admin'])
    expect(created.code).toBe(0)
    const userId = created.out[0]
    expect(userId).toMatch(/^[0-9a-f-]{36}$/)

    const again = await pinion(['user', 'create', 'ADA@example.org'])
    expect(again.code).toBe(1)
    expect(again.err).toContain('already exists')
    expect((await pinion(['user', 'create', 'ada@example.org', '--if-missing'])).out).toEqual([
      userId,
    ])

    const issued = await pinion([
      'token',
      'create',
      '--email',
      'ada@example.org',
      '--name',
      'laptop',
      '--scopes',
      'pinning,upload',
      '--expires-in',
      '30d',
    ])
    expect(issued.code).toBe(0)
    const jwt = issued.out[0]!
    const verifier = createTokenVerifier(
      { publicKeys: [key.publicJwk] },
      { issuer: 'pinion', audience: 'pinion' },
    )
    const verified = await verifier.verify(jwt)
    expect(verified).toMatchObject({ userId, scopes: ['pinning', 'upload'] })

    const listed = await pinion(['token', 'list', '--email', 'ada@example.org'])
    expect(listed.out).toHaveLength(1)
    expect(listed.out[0]).toContain('laptop')
    expect(listed.out[0]).not.toContain(jwt)
    const tokenId = listed.out[0]!.split('\t')[0]!
    expect(tokenId).toBe(verified.tokenId)

    expect((await pinion(['token', 'revoke', tokenId])).code).toBe(0)
    expect(await findActiveApiToken(testDb.prisma, tokenId)).toBeNull()
    expect((await pinion(['token', 'list', '--email', 'ada@example.org'])).out).toEqual([])
    expect((await pinion(['token', 'revoke', tokenId])).code).toBe(1)
  })

  it.each([
    [
      ['token', 'create', '--email', 'ada@example.org', '--name', 'x', '--scopes', 'root'],
      '--scopes',
    ],
    [
      ['token', 'create', '--email', 'ada@example.org', '--name', 'x', '--expires-in', 'forever'],
      'duration',
    ],
    [['token', 'create', '--name', 'x'], '--email'],
    [['user', 'create', 'not-an-email'], 'e-mail'],
    [['frobnicate'], 'unknown command'],
    [['keys', 'generate', '--alg', 'HS256'], '--alg'],
  ])('answers %j with a usage error mentioning %s', async (argv, hint) => {
    const result = await pinion(argv)
    expect(result.code).toBe(2)
    expect(result.err).toContain(hint)
  })

  it('sets dashboard passwords from standard input with the sign-in KDF', async () => {
    const created = await pinion(
      ['user', 'create', 'grace@example.org', '--password-stdin'],
      {},
      'first password\n',
    )
    expect(created.code).toBe(0)
    const hashOf = async () =>
      (await testDb.prisma.user.findUniqueOrThrow({ where: { email: 'grace@example.org' } }))
        .passwordHash!
    const firstHash = await hashOf()
    expect(firstHash).toMatch(/^\$argon2id\$/)
    expect(await verifyPassword(firstHash, 'first password')).toBe(true)

    const changed = await pinion(
      ['user', 'set-password', 'GRACE@example.org', '--stdin'],
      {},
      'second password',
    )
    expect(changed).toMatchObject({ code: 0, out: [created.out[0]] })
    const secondHash = await hashOf()
    expect(await verifyPassword(secondHash, 'second password')).toBe(true)
    expect(await verifyPassword(secondHash, 'first password')).toBe(false)

    const tooShort = await pinion(['user', 'set-password', 'grace@example.org'], {}, 'short')
    expect(tooShort.code).toBe(2)
    expect(tooShort.err).toContain('8 to 1024')
    expect(await hashOf()).toBe(secondHash)

    const unknown = await pinion(['user', 'set-password', 'nobody@example.org'], {}, 'long enough')
    expect(unknown.code).toBe(1)
    expect(unknown.err).toContain('no user')
    expect(await testDb.prisma.user.count({ where: { email: 'nobody@example.org' } })).toBe(0)
  })

  it('refuses a token for an unknown user without creating anything', async () => {
    const result = await pinion(['token', 'create', '--email', 'nobody@example.org', '--name', 'x'])
    expect(result.code).toBe(1)
    expect(result.err).toContain('no user')
    expect(await testDb.prisma.apiToken.count({ where: { name: 'x' } })).toBe(0)
  })

  it('generates a signing key usable as AUTH_SIGNING_KEY', async () => {
    const result = await pinion(['keys', 'generate'], { DATABASE_URL: '' })
    expect(result.code).toBe(0)
    expect(result.out.join('\n')).toContain('BEGIN PRIVATE KEY')
    expect(result.err).toContain('"kty"')
  })
})

describe('pinion user set-password', () => {
  it('stores an argon2id hash of the password read from standard input', async () => {
    await pinion(['user', 'create', 'pw@example.org'])
    const out: string[] = []
    const err: string[] = []
    const run = (stdin: string) =>
      runCli(['user', 'set-password', 'pw@example.org', '--stdin'], {
        env: { DATABASE_URL: testDb.url, AUTH_SIGNING_KEY: key.privateKeyPem },
        out: (line) => out.push(line),
        err: (line) => err.push(line),
        logger: createLogger({ service: 'cli-test', level: 'silent' }),
        readStdin: () => Promise.resolve(stdin),
      })
    expect(await run('short\n')).toBe(2)
    expect(await run('a long enough password\n')).toBe(0)
    const user = await findUserByEmail(testDb.prisma, 'pw@example.org')
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/)
    expect(await verifyPassword(user?.passwordHash ?? '', 'a long enough password')).toBe(true)
    expect(await verifyPassword(user?.passwordHash ?? '', 'a long enough password\n')).toBe(false)
  })
})
