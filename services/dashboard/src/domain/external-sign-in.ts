import {
  createUser,
  findIdentity,
  findUserByEmail,
  isUniqueViolation,
  upsertIdentity,
  type DbClient,
  type Prisma,
  type User,
} from '@pinion/db'
import { ExternalSignInError, SignUpClosedError } from './errors.js'

/** What a provider told us about the person signing in. */
export interface ExternalProfile {
  /** `github` or `oidc:<issuer URL>`. */
  provider: string
  /** The provider's stable id (GitHub numeric id, OIDC `sub`). */
  subject: string
  email: string | undefined
  /** Only a verified e-mail may link to an existing account. */
  emailVerified: boolean
  displayName: string | undefined
  profile: Prisma.InputJsonObject
}

/**
 * The Pinion account for an external sign-in: the one already linked to this identity; else the
 * account with the same e-mail when the provider says the e-mail is verified (and the identity is
 * linked to it); else a new account (when `allowNewAccounts`).
 *
 * @throws ExternalSignInError for a disabled account, or an unverified e-mail that belongs to an
 *   existing account; SignUpClosedError when a new account is needed but not allowed.
 */
export async function resolveExternalUser(
  prisma: DbClient,
  init: { allowNewAccounts: boolean },
  external: ExternalProfile,
): Promise<User> {
  const link = (userId: string) =>
    upsertIdentity(prisma, {
      userId,
      provider: external.provider,
      subject: external.subject,
      email: external.email ?? null,
      profile: external.profile,
    })
  const linked = await findIdentity(prisma, external.provider, external.subject)
  if (linked) {
    await link(linked.userId)
    return usable(linked.user)
  }
  const email = external.email?.trim()
  const owner = email === undefined ? null : await findUserByEmail(prisma, email)
  if (owner) {
    if (!external.emailVerified)
      throw new ExternalSignInError(
        'An account with this e-mail exists, and the provider has not verified the e-mail: ' +
          'sign in with that account instead',
      )
    await link(owner.id)
    return usable(owner)
  }
  if (!init.allowNewAccounts) throw new SignUpClosedError()
  try {
    const user = await createUser(prisma, {
      // users.email is required; an identity without one gets an address that cannot receive mail.
      email:
        email ?? `${external.subject}@${external.provider.replace(/[^a-z0-9]+/gi, '-')}.invalid`,
      displayName: external.displayName ?? email ?? external.subject,
    })
    await link(user.id)
    return user
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key'))
      throw new ExternalSignInError('An account with this e-mail was created at the same time')
    throw error
  }
}

function usable(user: User): User {
  if (user.disabledAt !== null) throw new ExternalSignInError('This account is disabled')
  return user
}
