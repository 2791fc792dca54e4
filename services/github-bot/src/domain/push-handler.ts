import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isAppError } from '@pinion/service-kit'
import type { UnixfsImporter } from '@pinion/unixfs'
import { displayPath } from './build-config.js'
import { postStatuses, statusContext, statusDescription } from './commit-statuses.js'
import { downloadToFile } from './download-limit.js'
import type { CommitStatus, InstallationApi, RepositoryRef } from './github-api.js'
import type { GithubPinLinks } from './github-pin-links.js'
import {
  errorText,
  pinionUserOf,
  readBuildConfig,
  shortRef,
  type Job,
  type JobOutcome,
} from './job.js'
import { ownerLogin, PushPayloadSchema } from './payloads.js'
import type { GithubPins } from './pins.js'
import { directoryEntries, type TarballScan } from './tarball-entries.js'

export interface PushHandlerComponents {
  readonly unixfs: UnixfsImporter
  readonly pins: GithubPins
  readonly links: GithubPinLinks
  /** Posts the final status of a pin that is already pinned (a re-run of the same commit). */
  readonly pinnedStatus: (link: { cid: string; path: string; context: string }) => CommitStatus
}

export interface PushHandlerInit {
  readonly maxDownloadBytes: number
  /** Pins kept per path and branch when the config has no `keep`. */
  readonly keepPins: number
}

/**
 * `push`: when the push is to the configured branch, each configured path of the pushed commit
 * becomes its own UnixFS directory (the CID of `ipfs add -r --cid-version=1 <path>`), pinned as
 * `owner/repo@sha:path`, with a `pending` commit status per path now and the final one when the
 * worker reports (see pin-status-handler.ts). Pins beyond the newest `keep` per path and branch
 * are removed.
 */
/** One configured path of a push, to pin as a directory. */
interface PathTarget {
  job: Job
  github: InstallationApi
  repository: RepositoryRef
  fullName: string
  sha: string
  branch: string
  path: string
  context: string
  userId: string
  /** The commit's tarball, already downloaded. */
  archive: string
  /** How many pins of this path to keep. */
  keep: number
}

export function createPushHandler(components: PushHandlerComponents, init: PushHandlerInit) {
  const { unixfs, pins, links } = components

  return async function handlePush(job: Job): Promise<JobOutcome> {
    const payload = PushPayloadSchema.parse(job.event.payload)
    const github = job.github
    if (github === undefined) throw new Error('a push without an installation')
    const fullName = payload.repository.full_name
    const repository: RepositoryRef = {
      owner: ownerLogin(payload.repository),
      name: payload.repository.name,
    }
    if (payload.deleted || /^0+$/.test(payload.after)) {
      await job.journal.info(`${payload.ref} was deleted: nothing to pin`)
      return 'ignored'
    }
    const sha = payload.after
    const read = await readBuildConfig(job, github, repository, sha)
    if (read.kind === 'missing') return 'ignored'
    if (read.kind === 'invalid') {
      await postStatuses(github, repository, sha, ['pinion/ipfs'], {
        state: 'failure',
        description: `pinion.build.yaml is invalid: ${read.problems[0] ?? ''}`,
      })
      return 'failed'
    }
    const section = read.config.subdirectories
    if (section === undefined) {
      await job.journal.info(
        'pinion.build.yaml has no subdirectories section: nothing to pin on push',
      )
      return 'ignored'
    }
    if (payload.ref !== `refs/heads/${section.branch}`) {
      await job.journal.info(
        `${payload.ref} is not the monitored branch ${section.branch}: nothing to do`,
      )
      return 'ignored'
    }
    const paths = section.paths
    const contexts = paths.map((path) => statusContext(path, paths.length))
    const owner = await pinionUserOf(job, payload.repository, payload.sender?.id)
    if (owner.kind === 'suspended') return 'ignored'
    if (owner.kind === 'unlinked') {
      const description = owner.text
      await postStatuses(github, repository, sha, contexts, { state: 'failure', description })
      return 'failed'
    }
    const userId = owner.userId
    await postStatuses(
      github,
      repository,
      sha,
      contexts,
      { state: 'pending', description: 'Pinning to IPFS…' },
      paths,
    )
    const remaining = await pins.remainingStoredBytes(userId)
    if (remaining !== undefined && remaining <= 0n) {
      await job.journal.error("the storage quota of the installation's Pinion user is used up")
      await postStatuses(github, repository, sha, contexts, {
        state: 'failure',
        description: 'Pinion storage quota exceeded',
      })
      return 'failed'
    }

    const folder = await mkdtemp(join(tmpdir(), 'pinion-github-'))
    try {
      const archive = join(folder, 'repo.tar.gz')
      try {
        await downloadToFile(archive, await github.downloadTarball(repository, sha, job.signal), {
          what: `the archive of ${fullName}@${shortRef(sha)}`,
          limit: init.maxDownloadBytes,
          signal: job.signal,
        })
      } catch (error) {
        await job.journal.error(`could not download the repository archive: ${errorText(error)}`)
        await postStatuses(github, repository, sha, contexts, {
          state: 'error',
          description: `Pinion could not download the commit: ${errorText(error)}`,
        })
        return 'failed'
      }
      await job.journal.info(`downloaded the archive of ${shortRef(sha)}`)
      let failed = false
      for (const [index, path] of paths.entries()) {
        const context = contexts[index] ?? 'pinion/ipfs'
        let ok: boolean
        try {
          ok = await pinPath({
            job,
            github,
            repository,
            fullName,
            sha,
            branch: section.branch,
            path,
            context,
            userId,
            archive,
            keep: section.keep ?? init.keepPins,
          })
        } catch (error) {
          // Never leave a pending status behind: whatever broke, the commit gets a final state.
          ok = false
          await job.journal.error(`${displayPath(path)}: ${errorText(error)}`)
          // Over quota is the user's to fix (failure); anything else is ours (error).
          const quota = isAppError(error) && error.reason === 'INSUFFICIENT_FUNDS'
          await github
            .postStatus(repository, sha, {
              state: quota ? 'failure' : 'error',
              context,
              description: statusDescription(
                quota
                  ? `Pinion quota exceeded: ${errorText(error)}`
                  : `Pinion could not pin ${displayPath(path)}: ${errorText(error)}`,
              ),
            })
            .catch(() => undefined)
        }
        if (!ok) failed = true
      }
      return failed ? 'failed' : 'succeeded'
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  }

  async function pinPath(target: PathTarget): Promise<boolean> {
    const { job, github, repository, sha, path, context } = target
    const shown = displayPath(path)
    const scan: TarballScan = { found: false, files: 0, skipped: 0 }
    let cid: string
    try {
      const entries = directoryEntries(createReadStream(target.archive), path, scan)
      const summary = await unixfs.addAll(entries, { wrap: 'always', signal: job.signal })
      cid = summary.cid.toString()
    } catch (error) {
      if (!scan.found || scan.files === 0) {
        const text = scan.found
          ? `${shown} has no files at ${shortRef(sha)}`
          : `${shown} does not exist at ${shortRef(sha)}`
        await job.journal.error(text)
        await github.postStatus(repository, sha, {
          state: 'failure',
          context,
          description: statusDescription(text),
        })
        return false
      }
      await job.journal.error(`${shown}: ${errorText(error)}`)
      await github.postStatus(repository, sha, {
        state: 'error',
        context,
        description: statusDescription(`Pinion could not import ${shown}: ${errorText(error)}`),
      })
      return false
    }
    job.heartbeat()
    if (scan.skipped > 0)
      await job.journal.warn(`${shown}: ${scan.skipped} symlink(s) or special file(s) left out`)
    const { pinId, reused } = await pinOnce(target, cid)
    await job.journal.info(
      `${shown} → ${cid} (${scan.files} files, pin ${pinId}${reused ? ', already pinned for this commit' : ''})`,
    )
    if (reused) {
      const pin = await pins.describe(pinId)
      if (pin?.status === 'pinned') {
        await github.postStatus(repository, sha, components.pinnedStatus({ cid, path, context }))
        await links.setStatusState(pinId, 'success')
        await job.journal.info(`${shown}: success status posted`)
      }
    }
    for (const old of await links.beyondNewest(
      { repository: target.fullName, branch: target.branch, path },
      target.keep,
    )) {
      await pins.removePin(target.userId, old.pinId)
      await links.remove(old.pinId)
      await job.journal.info(
        `${shown}: removed the pin of ${shortRef(old.sha)} (${old.cid}), keeping the newest ${target.keep}`,
      )
    }
    return true
  }

  /** One pin per (repository, commit, path, CID): a re-run finds the pin it made before. */
  async function pinOnce(
    target: Pick<PathTarget, 'job' | 'fullName' | 'sha' | 'branch' | 'path' | 'context' | 'userId'>,
    cid: string,
  ): Promise<{ pinId: string; reused: boolean }> {
    const existing = await links.findDirectory({
      repository: target.fullName,
      sha: target.sha,
      path: target.path,
    })
    if (
      existing !== undefined &&
      existing.cid === cid &&
      (await pins.describe(existing.pinId)) !== undefined
    ) {
      return { pinId: existing.pinId, reused: true }
    }
    const installationId = target.job.event.installationId ?? 0
    const { pinId } = await pins.requestPin({
      userId: target.userId,
      cid,
      name: `${target.fullName}@${target.sha}:${target.path}`,
      meta: {
        source: 'github',
        repository: target.fullName,
        sha: target.sha,
        branch: target.branch,
        path: displayPath(target.path),
      },
      installationId,
    })
    await links.add({
      kind: 'directory',
      pinId,
      installationId,
      repository: target.fullName,
      deliveryId: target.job.event.deliveryId,
      cid,
      sha: target.sha,
      branch: target.branch,
      path: target.path,
      context: target.context,
    })
    return { pinId, reused: false }
  }
}
