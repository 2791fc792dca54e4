/**
 * Accounts. E-mails are `citext`: unique and looked up regardless of case, stored as typed.
 */
import type { DbClient } from '../db-client.js'
import { isUuid } from '../db-client.js'
import type { User, UserRole } from '../generated/prisma/client.js'

/** Fields of a new account. */
export interface NewUser {
  email: string
  displayName: string
  /** Null/absent for accounts that only sign in through an identity provider. */
  passwordHash?: string | null
  role?: UserRole
}

/**
 * Creates an account.
 *
 * @throws a Prisma P2002 error (see `isUniqueViolation(error, 'users_email_key')`) when the e-mail
 *   is taken in any letter case.
 */
export function createUser(db: DbClient, input: NewUser): Promise<User> {
  return db.user.create({
    data: {
      email: input.email.trim(),
      displayName: input.displayName,
      passwordHash: input.passwordHash ?? null,
      role: input.role ?? 'user',
    },
  })
}

/** The account with this id, or null (also for a malformed id). */
export async function findUserById(db: DbClient, id: string): Promise<User | null> {
  if (!isUuid(id)) return null
  return db.user.findUnique({ where: { id } })
}

/** The account with this e-mail in any letter case, or null. */
export function findUserByEmail(db: DbClient, email: string): Promise<User | null> {
  return db.user.findUnique({ where: { email: email.trim() } })
}

/** Changeable account fields; quota fields take null to fall back to the service default. */
export interface UserPatch {
  displayName?: string
  passwordHash?: string | null
  role?: UserRole
  maxPins?: number | null
  maxStoredBytes?: bigint | null
  maxGatewayBytesPerMonth?: bigint | null
}

/** Applies `patch`; returns the updated account, or null when there is none with this id. */
export async function updateUser(db: DbClient, id: string, patch: UserPatch): Promise<User | null> {
  if (!isUuid(id)) return null
  const { count } = await db.user.updateMany({ where: { id }, data: patch })
  return count === 0 ? null : db.user.findUnique({ where: { id } })
}

/** Accounts ordered by e-mail, `limit` at a time after `afterEmail` (keyset pagination). */
export function listUsers(
  db: DbClient,
  options: { limit?: number; afterEmail?: string } = {},
): Promise<User[]> {
  return db.user.findMany({
    where: options.afterEmail === undefined ? {} : { email: { gt: options.afterEmail } },
    orderBy: { email: 'asc' },
    take: options.limit ?? 100,
  })
}

/**
 * Disables an account and revokes all its active API tokens in one statement, so no token of a
 * disabled user outlives the revocation poll.
 *
 * @returns false when there is no such enabled account.
 */
export async function disableUser(db: DbClient, id: string, at = new Date()): Promise<boolean> {
  if (!isUuid(id)) return false
  const rows = await db.$queryRaw<{ disabled: bigint }[]>`
    WITH disabled AS (
      UPDATE users SET disabled_at = ${at}, updated_at = ${at}
      WHERE id = ${id}::uuid AND disabled_at IS NULL
      RETURNING id
    ), revoked AS (
      UPDATE api_tokens SET revoked_at = ${at}
      WHERE user_id IN (SELECT id FROM disabled) AND revoked_at IS NULL
      RETURNING id
    )
    SELECT (SELECT count(*) FROM disabled) AS disabled, (SELECT count(*) FROM revoked) AS revoked`
  return rows[0]?.disabled === 1n
}

/** Re-enables an account (its revoked tokens stay revoked). Returns false when none changed. */
export async function enableUser(db: DbClient, id: string): Promise<boolean> {
  if (!isUuid(id)) return false
  const { count } = await db.user.updateMany({
    where: { id, disabledAt: { not: null } },
    data: { disabledAt: null },
  })
  return count === 1
}
