import { displayPath } from './build-config.js'
import type { CommitStatus, InstallationApi, RepositoryRef } from './github-api.js'

/** GitHub's limit on a commit status description (422 beyond). */
export const maxDescriptionLength = 140

/** The base status context. */
export const baseContext = 'pinion/ipfs'

/** `pinion/ipfs` for a single configured path, `pinion/ipfs: <path>` when there are several. */
export function statusContext(path: string, pathCount: number): string {
  return pathCount === 1 ? baseContext : `${baseContext}: ${displayPath(path)}`
}

/** Cuts a description to GitHub's 140 characters, ending with an ellipsis when cut. */
export function statusDescription(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()]
  if (chars.length <= maxDescriptionLength) return chars.join('')
  return `${chars.slice(0, maxDescriptionLength - 1).join('')}…`
}

/** Where a pinned CID opens in Pinion's own gateway. */
export function gatewayUrl(publicUrl: string, cid: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/gateway/web/ipfs/${cid}/`
}

/** Posts `status` under each context; with `paths`, a `Pinning <path>/ to IPFS…` description each. */
export async function postStatuses(
  github: InstallationApi,
  repository: RepositoryRef,
  sha: string,
  contexts: readonly string[],
  status: Omit<CommitStatus, 'context'>,
  paths?: readonly string[],
): Promise<void> {
  for (const [index, context] of contexts.entries()) {
    const path = paths?.[index]
    const description =
      path === undefined ? status.description : `Pinning ${displayPath(path)} to IPFS…`
    await github.postStatus(repository, sha, {
      ...status,
      context,
      description: statusDescription(description),
    })
  }
}
