/**
 * API token records. The token itself is a JWT signed by the auth package; the database keeps
 * its id (`jti`), owner, scopes and lifecycle so tokens can be listed and revoked. Services learn
 * about revocations by polling {@link listRevokedApiTokensSince}.
 */
import type { DbClient } from '../db-client.js'
import { isUuid } from '../db-client.js'
import type { ApiToken } from '../generated/prisma/client.js'

/** Fields of a new token record. */
export interface NewApiToken {
  userId: string
  name: string
  scopes: readonly string[]
  expiresAt?: Date | null
}

/** Records a token; its `id` is the `jti` to sign into the JWT. */
export function createApiToken(db: DbClient, input: NewApiToken): Promise<ApiToken> {
  return db.apiToken.create({
    data: {
      userId: input.userId,
      name: input.name,
      scopes: [...input.scopes],
      expiresAt: input.expiresAt ?? null,
    },
  })
}

/** A user's tokens, newest first; revoked ones only when asked. */
export async function listApiTokens(
  db: DbClient,
  userId: string,
  options: { includeRevoked?: boolean } = {},
): Promise<ApiToken[]> {
  if (!isUuid(userId)) return []
  return db.apiToken.findMany({
    where: { userId, ...(options.includeRevoked ? {} : { revokedAt: null }) },
    orderBy: { createdAt: 'desc' },
  })
}

/**
 * The token with this id if it may be used at `now`: not revoked, not expired, and its owner not
 * disabled. Null otherwise (also for a malformed id).
 */
export async function findActiveApiToken(
  db: DbClient,
  id: string,
  now = new Date(),
): Promise<ApiToken | null> {
  if (!isUuid(id)) return null
  return db.apiToken.findFirst({
    where: {
      id,
      revokedAt: null,
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      user: { disabledAt: null },
    },
  })
}

/**
 * Revokes a token. With `userId`, only that user's token (others' look absent: no oracle).
 *
 * @returns false when there is no such unrevoked token.
 */
export async function revokeApiToken(
  db: DbClient,
  target: { id: string; userId?: string },
  at = new Date(),
): Promise<boolean> {
  if (!isUuid(target.id) || (target.userId !== undefined && !isUuid(target.userId))) return false
  const { count } = await db.apiToken.updateMany({
    where: {
      id: target.id,
      revokedAt: null,
      ...(target.userId === undefined ? {} : { userId: target.userId }),
    },
    data: { revokedAt: at },
  })
  return count === 1
}

/**
 * Records that a token was used, at most once per `minIntervalMs` (default one minute) so that
 * busy tokens cost one small UPDATE a minute rather than one per request.
 *
 * @returns whether the row was written.
 */
export async function touchApiToken(
  db: DbClient,
  id: string,
  options: { at?: Date; minIntervalMs?: number } = {},
): Promise<boolean> {
  if (!isUuid(id)) return false
  const at = options.at ?? new Date()
  const staleBefore = new Date(at.getTime() - (options.minIntervalMs ?? 60_000))
  const { count } = await db.apiToken.updateMany({
    where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
    data: { lastUsedAt: at },
  })
  return count === 1
}

/** How far back each poll re-reads, covering revocations committed slightly out of order. */
export const revocationPollOverlapMs = 5_000

/** One page of revocations, and where the next poll starts. */
export interface RevocationsPage {
  revoked: { id: string; revokedAt: Date }[]
  /** Pass as `since` to the next call. */
  next: Date
}

/**
 * Tokens revoked at or after `since` (pass the epoch on start-up to load all of them). Revoked
 * tokens never come back, so callers keep a set and add to it. `next` is the database clock minus
 * {@link revocationPollOverlapMs}: consecutive polls overlap, so a revocation whose transaction
 * committed just after a poll is still seen by the following one.
 */
export async function listRevokedApiTokensSince(
  db: DbClient,
  since: Date,
): Promise<RevocationsPage> {
  const [clock] = await db.$queryRaw<{ now: Date }[]>`SELECT clock_timestamp() AS now`
  const revoked = await db.apiToken.findMany({
    where: { revokedAt: { gte: since } },
    select: { id: true, revokedAt: true },
    orderBy: { revokedAt: 'asc' },
  })
  const now = clock?.now ?? new Date()
  return {
    revoked: revoked.map((token) => ({ id: token.id, revokedAt: token.revokedAt ?? since })),
    next: new Date(now.getTime() - revocationPollOverlapMs),
  }
}
