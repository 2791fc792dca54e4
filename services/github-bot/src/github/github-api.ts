import { createAppAuth } from '@octokit/auth-app'
import { Octokit } from '@octokit/core'
import type {
  GithubApi,
  InstallationApi,
  InstallationHooks,
  Release,
  RepositoryRef,
} from '../domain/github-api.js'
import { withRateLimitRetry } from './rate-limit.js'

export interface GithubApiInit {
  readonly appId: string
  /** PEM, PKCS#1 or PKCS#8 (auth-app converts PKCS#1 itself). */
  readonly privateKey: string
  /** `https://api.github.com`, `https://HOST/api/v3`, or a test fake. */
  readonly baseUrl: string
  readonly rateLimitRetries: number
  readonly rateLimitMaxWaitMs: number
}

interface ReleaseBody {
  id: number
  tag_name: string
  immutable?: boolean
  assets: { id: number; name: string; size: number; state: string; digest?: string | null }[]
}

/**
 * GitHub through Octokit, authenticated as the App: an app JWT (RS256, signed with the private
 * key) buys installation tokens, which `@octokit/auth-app` caches until shortly before they expire
 * (59 of their 60 minutes). One Octokit per installation, kept for the process's life.
 * Downloads stream (`parseSuccessResponseBody: false`); fetch follows GitHub's redirect to its
 * archive/object hosts and drops the Authorization header on that cross-origin hop.
 */
export function createGithubApi(init: GithubApiInit): GithubApi {
  const clients = new Map<number, Octokit>()
  const clientFor = (installationId: number): Octokit => {
    let client = clients.get(installationId)
    if (client === undefined) {
      client = new Octokit({
        baseUrl: init.baseUrl.replace(/\/+$/, ''),
        userAgent: 'pinion-github-bot',
        authStrategy: createAppAuth,
        auth: { appId: init.appId, privateKey: init.privateKey, installationId },
      })
      clients.set(installationId, client)
    }
    return client
  }

  return {
    installation(installationId: number, hooks: InstallationHooks = {}): InstallationApi {
      const octokit = clientFor(installationId)
      const retry = <T>(call: () => Promise<T>) =>
        withRateLimitRetry(call, {
          retries: init.rateLimitRetries,
          maxWaitMs: init.rateLimitMaxWaitMs,
          onRateLimit: hooks.onRateLimit,
        })
      const stream = async (
        route: string,
        params: Record<string, unknown>,
        signal?: AbortSignal,
      ) => {
        const response = await retry(() =>
          octokit.request(route, {
            ...params,
            headers: { accept: 'application/octet-stream' },
            request: { parseSuccessResponseBody: false, signal },
          }),
        )
        return response.data as AsyncIterable<Uint8Array>
      }
      const repo = (repository: RepositoryRef) => ({
        owner: repository.owner,
        repo: repository.name,
      })

      return {
        async readFile(repository, path, ref) {
          try {
            const response = await retry(() =>
              octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
                ...repo(repository),
                path,
                ref,
                headers: { accept: 'application/vnd.github.raw+json' },
              }),
            )
            return typeof response.data === 'string' ? response.data : JSON.stringify(response.data)
          } catch (error) {
            if ((error as { status?: number }).status === 404) return undefined
            throw error
          }
        },
        downloadTarball: (repository, ref, signal) =>
          stream('GET /repos/{owner}/{repo}/tarball/{ref}', { ...repo(repository), ref }, signal),
        downloadZipball: (repository, ref, signal) =>
          stream('GET /repos/{owner}/{repo}/zipball/{ref}', { ...repo(repository), ref }, signal),
        downloadAsset: (repository, assetId, signal) =>
          stream(
            'GET /repos/{owner}/{repo}/releases/assets/{asset_id}',
            { ...repo(repository), asset_id: assetId },
            signal,
          ),
        async getRelease(repository, releaseId): Promise<Release> {
          const response = await retry(() =>
            octokit.request('GET /repos/{owner}/{repo}/releases/{release_id}', {
              ...repo(repository),
              release_id: releaseId,
            }),
          )
          const body = response.data as ReleaseBody
          return {
            id: body.id,
            tagName: body.tag_name,
            immutable: body.immutable === true,
            assets: body.assets.map((asset) => ({
              id: asset.id,
              name: asset.name,
              size: asset.size,
              state: asset.state,
              digest: asset.digest ?? null,
            })),
          }
        },
        async postStatus(repository, sha, status) {
          await retry(() =>
            octokit.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
              ...repo(repository),
              sha,
              state: status.state,
              description: status.description,
              context: status.context,
              ...(status.targetUrl === undefined ? {} : { target_url: status.targetUrl }),
            }),
          )
        },
      }
    },
  }
}
