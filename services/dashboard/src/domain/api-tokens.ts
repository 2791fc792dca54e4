import type { Scope, TokenIssuer } from '@pinion/auth'
import { createApiToken, listApiTokens, revokeApiToken, type PrismaClient } from '@pinion/db'
import type { AttachedMessaging } from '@pinion/platform'
import { NotFoundError, ServiceUnavailableError, type Logger } from '@pinion/service-kit'

/** What token management needs. */
export interface ApiTokenComponents {
  prisma: PrismaClient
  issuer: TokenIssuer | undefined
  messaging: AttachedMessaging['messaging']
  logger: Logger
}

/** A token as the account API lists it (never the JWT itself). */
export interface TokenSummary {
  id: string
  name: string
  scopes: string[]
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

const iso = (date: Date | null) => (date === null ? null : date.toISOString())

/** The user's tokens, newest first, revoked ones included (the page shows them struck out). */
export async function listTokens(
  components: ApiTokenComponents,
  userId: string,
): Promise<TokenSummary[]> {
  const rows = await listApiTokens(components.prisma, userId, { includeRevoked: true })
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  }))
}

/**
 * Records a token and signs its JWT; the JWT is returned once and never stored.
 *
 * @throws ServiceUnavailableError when this deployment has no signing key.
 */
export async function createToken(
  components: ApiTokenComponents,
  userId: string,
  input: { name: string; scopes: Scope[]; expiresInDays?: number | undefined },
): Promise<TokenSummary & { token: string }> {
  const { issuer } = components
  if (issuer === undefined)
    throw new ServiceUnavailableError('This server has no signing key (AUTH_SIGNING_KEY)')
  const expiresAt =
    input.expiresInDays === undefined
      ? null
      : new Date(Date.now() + input.expiresInDays * 86_400_000)
  // Row and JWT in one transaction: a signing failure leaves no orphan row.
  return components.prisma.$transaction(async (tx) => {
    const row = await createApiToken(tx, {
      userId,
      name: input.name,
      scopes: input.scopes,
      expiresAt,
    })
    const token = await issuer.issueApiToken({
      userId,
      tokenId: row.id,
      scopes: input.scopes,
      ...(expiresAt === null ? {} : { expiresAt }),
    })
    return {
      token,
      id: row.id,
      name: row.name,
      scopes: row.scopes,
      createdAt: row.createdAt.toISOString(),
      expiresAt: iso(row.expiresAt),
      lastUsedAt: null,
      revokedAt: null,
    }
  })
}

/**
 * Revokes one of the user's tokens and tells every service at once over NATS; when NATS is down
 * the services' revocation poll still rejects it within 5 s.
 *
 * @throws NotFoundError when the user has no such unrevoked token.
 */
export async function revokeToken(
  components: ApiTokenComponents,
  userId: string,
  tokenId: string,
): Promise<void> {
  const at = new Date()
  if (!(await revokeApiToken(components.prisma, { id: tokenId, userId }, at)))
    throw new NotFoundError('No such token')
  try {
    await components.messaging.publish(
      'pinion.tokens.revoked',
      { tokenId, at: at.toISOString() },
      { msgId: `token-revoked:${tokenId}` },
    )
  } catch (error) {
    components.logger.warn({ err: error, tokenId }, 'revocation not published; services poll it')
  }
}
