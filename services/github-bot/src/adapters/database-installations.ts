import type { Database } from '@pinion/db'
import type { InstallationOwner, Installations } from '../domain/installations.js'

/**
 * Installations on Postgres. The link to a Pinion user goes through `identities`
 * (provider `github`, subject = the GitHub user id), written when a user signs in with GitHub.
 */
export function createDatabaseInstallations(database: Database): Installations {
  const prisma = database.prisma

  const linkedUser = async (githubUserIds: readonly number[]): Promise<string | undefined> => {
    for (const id of githubUserIds) {
      const identity = await prisma.identity.findUnique({
        where: { provider_subject: { provider: 'github', subject: String(id) } },
      })
      if (identity !== null) return identity.userId
    }
    return undefined
  }

  return {
    async save(installation, githubUserIds) {
      const userId = await linkedUser(githubUserIds)
      const data = {
        accountLogin: installation.account.login,
        accountType: installation.account.type,
        suspendedAt: installation.suspended ? new Date() : null,
      }
      const row = await prisma.githubInstallation.upsert({
        where: { id: BigInt(installation.id) },
        create: { id: BigInt(installation.id), ...data, userId: userId ?? null },
        // An existing link is kept when nobody matches now (the user may have unlinked GitHub later).
        update: { ...data, ...(userId === undefined ? {} : { userId }) },
      })
      return {
        userId: row.userId ?? undefined,
        accountLogin: row.accountLogin,
        suspended: row.suspendedAt !== null,
      }
    },
    async remove(installationId) {
      await prisma.githubInstallation.deleteMany({ where: { id: BigInt(installationId) } })
    },
    async setSuspended(installationId, suspended) {
      await prisma.githubInstallation.updateMany({
        where: { id: BigInt(installationId) },
        data: { suspendedAt: suspended ? new Date() : null },
      })
    },
    async addRepositories(installationId, repositories) {
      for (const repository of repositories) {
        await prisma.githubInstallationRepository.upsert({
          where: {
            installationId_repoId: {
              installationId: BigInt(installationId),
              repoId: BigInt(repository.id),
            },
          },
          create: {
            installationId: BigInt(installationId),
            repoId: BigInt(repository.id),
            fullName: repository.fullName,
          },
          update: { fullName: repository.fullName },
        })
      }
    },
    async removeRepositories(installationId, repositoryIds) {
      await prisma.githubInstallationRepository.deleteMany({
        where: {
          installationId: BigInt(installationId),
          repoId: { in: repositoryIds.map(BigInt) },
        },
      })
    },
    async owner(installationId): Promise<InstallationOwner | undefined> {
      const row = await prisma.githubInstallation.findUnique({
        where: { id: BigInt(installationId) },
      })
      if (row === null) return undefined
      return {
        userId: row.userId ?? undefined,
        accountLogin: row.accountLogin,
        suspended: row.suspendedAt !== null,
      }
    },
  }
}
