import type { UnixfsImporter } from '@pinion/unixfs'
import { assetMatcher } from './build-config.js'
import { limitDownload } from './download-limit.js'
import type { InstallationApi, ReleaseAsset, RepositoryRef } from './github-api.js'
import type { GithubPinLinks } from './github-pin-links.js'
import {
  errorText,
  pinionUserOf,
  readBuildConfig,
  waitWithHeartbeat,
  type Job,
  type JobOutcome,
} from './job.js'
import { ownerLogin, ReleasePayloadSchema } from './payloads.js'
import type { GithubPins } from './pins.js'

export interface ReleaseHandlerComponents {
  readonly unixfs: UnixfsImporter
  readonly pins: GithubPins
  readonly links: GithubPinLinks
}

export interface ReleaseHandlerInit {
  readonly maxDownloadBytes: number
  /** First wait before the release is read again, in ms; doubles up to 2 minutes. */
  readonly pollInitialMs: number
  /** Longest total polling for late assets, in ms (0: the published list only). */
  readonly pollMaxMs: number
}

const maxPollStepMs = 2 * 60_000

/**
 * `release` published: every asset whose name matches `releases.patterns` (all without patterns),
 * and GitHub's source archives with `include_source_code`, each streamed into its own UnixFS file
 * and pinned as `owner/repo@tag:file`. Release tools often upload assets after publishing, and
 * GitHub sends no event for that, so the release is read again with backoff until its asset list
 * is the same twice in a row with every upload complete, for at most `pollMaxMs`.
 */
export function createReleaseHandler(
  components: ReleaseHandlerComponents,
  init: ReleaseHandlerInit,
) {
  const { unixfs, pins, links } = components

  return async function handleRelease(job: Job): Promise<JobOutcome> {
    const payload = ReleasePayloadSchema.parse(job.event.payload)
    const github = job.github
    if (github === undefined) throw new Error('a release without an installation')
    if (payload.action !== 'published') {
      await job.journal.info(`release ${payload.action}: only published releases are pinned`)
      return 'ignored'
    }
    const fullName = payload.repository.full_name
    const repository: RepositoryRef = {
      owner: ownerLogin(payload.repository),
      name: payload.repository.name,
    }
    const tag = payload.release.tag_name
    const read = await readBuildConfig(job, github, repository, tag)
    if (read.kind === 'missing') return 'ignored'
    if (read.kind === 'invalid') return 'failed'
    const section = read.config.releases
    if (section === undefined) {
      await job.journal.info('pinion.build.yaml has no releases section: nothing to pin')
      return 'ignored'
    }
    const owner = await pinionUserOf(job, payload.repository, payload.sender?.id)
    if (owner.kind === 'suspended') return 'ignored'
    if (owner.kind === 'unlinked') return 'failed'
    const userId = owner.userId
    const matches = assetMatcher(section.patterns)
    const handled = new Set<number>()
    const skipped = new Set<string>()
    let failures = 0
    let pinned = 0

    const pinFile = async (
      fileName: string,
      body: () => Promise<AsyncIterable<Uint8Array>>,
      digest?: string | null,
    ) => {
      try {
        // A re-run (redelivery of a failed event) keeps what an earlier attempt pinned.
        const earlier = await links.findReleaseFile({ repository: fullName, tag, fileName })
        if (earlier !== undefined && (await pins.describe(earlier.pinId)) !== undefined) {
          await job.journal.info(
            `${fileName} → ${earlier.cid} (already pinned, pin ${earlier.pinId})`,
          )
          return
        }
        const remaining = await pins.remainingStoredBytes(userId)
        if (remaining !== undefined && remaining <= 0n)
          throw new Error('the storage quota is used up')
        const content = limitDownload(await body(), {
          what: fileName,
          limit: init.maxDownloadBytes,
          digest,
        })
        const summary = await unixfs.addFile(content, { signal: job.signal })
        const cid = summary.cid.toString()
        const { pinId } = await pins.requestPin({
          userId,
          cid,
          name: `${fullName}@${tag}:${fileName}`,
          meta: { source: 'github', repository: fullName, tag, file: fileName },
          installationId: payload.installation.id,
        })
        await links.add({
          kind: 'release_asset',
          pinId,
          installationId: payload.installation.id,
          repository: fullName,
          deliveryId: job.event.deliveryId,
          cid,
          tag,
          fileName,
        })
        pinned += 1
        await job.journal.info(`${fileName} → ${cid} (${summary.contentBytes} bytes, pin ${pinId})`)
      } catch (error) {
        failures += 1
        await job.journal.error(`${fileName}: ${errorText(error)}`)
      }
      job.heartbeat()
    }

    const takeAssets = async (assets: readonly ReleaseAsset[]) => {
      for (const asset of assets) {
        if (handled.has(asset.id) || asset.state !== 'uploaded') continue
        handled.add(asset.id)
        if (!matches(asset.name)) {
          skipped.add(asset.name)
          continue
        }
        if (asset.size > init.maxDownloadBytes) {
          failures += 1
          await job.journal.error(
            `${asset.name} is larger than the ${init.maxDownloadBytes}-byte limit: not pinned`,
          )
          continue
        }
        await pinFile(
          asset.name,
          () => github.downloadAsset(repository, asset.id, job.signal),
          asset.digest,
        )
      }
    }

    await takeAssets(payload.release.assets)
    if (payload.release.immutable !== true && init.pollMaxMs > 0) {
      await pollForLateAssets(
        job,
        github,
        repository,
        payload.release.id,
        payload.release.assets,
        takeAssets,
      )
    }
    if (section.include_source_code) {
      await pinFile(`${payload.repository.name}-${tag}.tar.gz`, () =>
        github.downloadTarball(repository, tag, job.signal),
      )
      await pinFile(`${payload.repository.name}-${tag}.zip`, () =>
        github.downloadZipball(repository, tag, job.signal),
      )
    }
    if (skipped.size > 0)
      await job.journal.info(`not matching the patterns: ${[...skipped].join(', ')}`)
    if (pinned === 0 && failures === 0) await job.journal.info('no file of this release to pin')
    return failures > 0 ? 'failed' : 'succeeded'
  }

  async function pollForLateAssets(
    job: Job,
    github: InstallationApi,
    repository: RepositoryRef,
    releaseId: number,
    published: readonly ReleaseAsset[],
    takeAssets: (assets: readonly ReleaseAsset[]) => Promise<void>,
  ): Promise<void> {
    let previous = signature(published)
    let waited = 0
    let step = init.pollInitialMs
    for (;;) {
      const wait = Math.min(step, init.pollMaxMs - waited)
      if (wait <= 0) {
        await job.journal.warn(
          `stopped looking for late assets after ${Math.round(waited / 1000)} s`,
        )
        return
      }
      await waitWithHeartbeat(wait, job)
      waited += wait
      const release = await github.getRelease(repository, releaseId)
      const current = signature(release.assets)
      const uploading = release.assets.filter((asset) => asset.state !== 'uploaded').length
      await job.journal.info(
        `release read again after ${Math.round(waited / 1000)} s: ${release.assets.length} asset(s)${uploading > 0 ? `, ${uploading} still uploading` : ''}`,
      )
      await takeAssets(release.assets)
      if (current === previous && uploading === 0) return
      previous = current
      step = Math.min(step * 2, maxPollStepMs)
    }
  }
}

/** The asset list's identity: ids, states and sizes. */
function signature(assets: readonly ReleaseAsset[]): string {
  return assets
    .map((asset) => `${asset.id}:${asset.state}:${asset.size}`)
    .sort()
    .join(',')
}
