import { createAuth, type Auth, type AuthConfig, type RevocationSource } from '@pinion/auth'
import {
  findActiveApiToken,
  findIdentity,
  listRevokedApiTokensSince,
  touchApiToken,
  type Database,
} from '@pinion/db'
import type { ServiceDeps } from '@pinion/service-kit'
import type { AttachedMessaging } from './messaging.js'

/** The `api_tokens` table as the auth package's revocation source. */
export function databaseRevocationSource(database: Database): RevocationSource {
  return {
    async listRevokedSince(since) {
      const page = await listRevokedApiTokensSince(database.prisma, since)
      return page.revoked.map((token) => ({ tokenId: token.id, revokedAt: token.revokedAt }))
    },
    async isActive(tokenId) {
      return (await findActiveApiToken(database.prisma, tokenId)) !== null
    },
  }
}

/**
 * Builds token verification for a service: keys from config, revocations polled from Postgres and
 * pushed over NATS (`pinion.tokens.revoked`, so a revoked token stops working at once on every
 * instance, and within the poll interval even if NATS is down), "last used" recorded at most once a
 * minute per token, and OIDC identities resolved through the identities table.
 */
export async function attachAuth(
  deps: ServiceDeps,
  config: AuthConfig,
  components: { database: Database; messaging?: AttachedMessaging },
): Promise<Auth> {
  const { database } = components
  const auth = await createAuth(config, {
    logger: deps.logger,
    revocationSource: databaseRevocationSource(database),
    recordLastUsed: async (tokenId, usedAt) => {
      await touchApiToken(database.prisma, tokenId, { at: usedAt })
    },
    identities: {
      async resolveUserId({ issuer, subject }) {
        const identity = await findIdentity(database.prisma, `oidc:${issuer}`, subject)
        return identity?.userId
      },
    },
  })
  deps.startables.push(auth.revocations)
  if (components.messaging) {
    deps.startables.push(
      components.messaging.messaging.listen({
        subject: 'pinion.tokens.revoked',
        handler: (revoked) => auth.revocations.markRevoked(revoked.tokenId),
      }),
    )
  }
  return auth
}
