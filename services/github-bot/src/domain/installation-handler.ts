import type { InstallationAccount, Installations } from './installations.js'
import type { Job, JobOutcome } from './job.js'
import { InstallationPayloadSchema, InstallationRepositoriesPayloadSchema } from './payloads.js'

/** GitHub user ids whose Pinion identity may own the installation: the account, then the sender. */
function candidateUsers(account: InstallationAccount, senderId: number | undefined): number[] {
  const ids = account.type === 'User' ? [account.id] : []
  if (senderId !== undefined && !ids.includes(senderId)) ids.push(senderId)
  return ids
}

/**
 * `installation` and `installation_repositories`: keep the installations table and its
 * repositories current, and link each installation to the Pinion user who signed in with the
 * installing GitHub account (its pins then count against that user's quota).
 */
export function createInstallationHandler(components: { installations: Installations }) {
  const { installations } = components

  async function linkMessage(job: Job, login: string, userId: string | undefined) {
    if (userId === undefined) {
      await job.journal.warn(
        `${login} is not linked to a Pinion user yet: sign in to Pinion with GitHub`,
      )
    } else {
      await job.journal.info(`linked to Pinion user ${userId}`)
    }
  }

  async function handleInstallation(job: Job): Promise<JobOutcome> {
    const payload = InstallationPayloadSchema.parse(job.event.payload)
    const { id, account } = payload.installation
    switch (payload.action) {
      case 'deleted':
        await installations.remove(id)
        await job.journal.info(`installation ${id} (${account.login}) removed`)
        return 'succeeded'
      case 'suspend':
      case 'unsuspend':
        await job.owner(account, payload.sender?.id)
        await installations.setSuspended(id, payload.action === 'suspend')
        await job.journal.info(`installation ${id} (${account.login}) ${payload.action}ed`)
        return 'succeeded'
      case 'created':
      case 'new_permissions_accepted': {
        const owner = await installations.save(
          { id, account, suspended: false },
          candidateUsers(account, payload.sender?.id),
        )
        if (owner.userId !== undefined) await job.owner(account, payload.sender?.id)
        const repositories = payload.repositories.map((repo) => ({
          id: repo.id,
          fullName: repo.full_name ?? String(repo.id),
        }))
        if (repositories.length > 0) await installations.addRepositories(id, repositories)
        await job.journal.info(
          `installation ${id} for ${account.login} saved (${repositories.length} repositories)`,
        )
        await linkMessage(job, account.login, owner.userId)
        return 'succeeded'
      }
      default:
        await job.journal.info(`installation ${payload.action}: nothing to do`)
        return 'ignored'
    }
  }

  async function handleInstallationRepositories(job: Job): Promise<JobOutcome> {
    const payload = InstallationRepositoriesPayloadSchema.parse(job.event.payload)
    const { id, account } = payload.installation
    await job.owner(account, payload.sender?.id)
    const added = payload.repositories_added.map((repo) => ({
      id: repo.id,
      fullName: repo.full_name ?? String(repo.id),
    }))
    const removed = payload.repositories_removed.map((repo) => repo.id)
    if (added.length > 0) await installations.addRepositories(id, added)
    if (removed.length > 0) await installations.removeRepositories(id, removed)
    await job.journal.info(
      `installation ${id}: ${added.length} repositories added, ${removed.length} removed`,
    )
    return 'succeeded'
  }

  return { handleInstallation, handleInstallationRepositories, candidateUsers }
}

export { candidateUsers }
