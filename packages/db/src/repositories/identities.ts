/**
 * External identities (GitHub, OIDC issuers) linked to accounts. `(provider, subject)` is unique:
 * one external account signs in to exactly one Pinion account.
 */
import type { DbClient } from '../db-client.js'
import { isUuid } from '../db-client.js'
import type { Identity, Prisma, User } from '../generated/prisma/client.js'

/** What a sign-in learned about an external account. */
export interface IdentityInput {
  userId: string
  /** `github` or `oidc:<issuer URL>`. */
  provider: string
  /** The provider's stable id for the account (never the e-mail, which can change). */
  subject: string
  email?: string | null
  profile?: Prisma.InputJsonObject
}

/**
 * Links an external account to `userId`, or refreshes e-mail and profile when it is already
 * linked (to anyone: the link's owner does not change here).
 */
export function upsertIdentity(db: DbClient, input: IdentityInput): Promise<Identity> {
  const profile = input.profile ?? {}
  return db.identity.upsert({
    where: { provider_subject: { provider: input.provider, subject: input.subject } },
    create: {
      userId: input.userId,
      provider: input.provider,
      subject: input.subject,
      email: input.email ?? null,
      profile,
    },
    update: { email: input.email ?? null, profile },
  })
}

/** The identity for an external account with its Pinion account, or null when not linked. */
export function findIdentity(
  db: DbClient,
  provider: string,
  subject: string,
): Promise<(Identity & { user: User }) | null> {
  return db.identity.findUnique({
    where: { provider_subject: { provider, subject } },
    include: { user: true },
  })
}

/** An account's identities, oldest first. */
export async function listIdentities(db: DbClient, userId: string): Promise<Identity[]> {
  if (!isUuid(userId)) return []
  return db.identity.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } })
}

/** Unlinks one of `userId`'s identities; false when it is not theirs or does not exist. */
export async function deleteIdentity(db: DbClient, userId: string, id: string): Promise<boolean> {
  if (!isUuid(userId) || !isUuid(id)) return false
  const { count } = await db.identity.deleteMany({ where: { id, userId } })
  return count === 1
}
