/**
 * What the bot needs from GitHub, as one installation sees it. The Octokit adapter
 * (`github/github-api.ts`) implements it against github.com, Enterprise Server or the test fake;
 * the domain never sees HTTP.
 */

/** `owner/name` of a repository. */
export interface RepositoryRef {
  readonly owner: string
  readonly name: string
}

/** A release asset, as the releases API lists it. */
export interface ReleaseAsset {
  readonly id: number
  readonly name: string
  /** Bytes. */
  readonly size: number
  /** `uploaded` once complete (`starter`/`new` while an upload is running). */
  readonly state: string
  /** `sha256:<hex>` on newer GitHub versions. */
  readonly digest?: string | null | undefined
}

/** The fields of a release the bot reads. */
export interface Release {
  readonly id: number
  readonly tagName: string
  /** Immutable releases cannot gain assets later, so their published list is final. */
  readonly immutable: boolean
  readonly assets: readonly ReleaseAsset[]
}

/** One commit status (`POST /repos/{o}/{r}/statuses/{sha}`). */
export interface CommitStatus {
  readonly state: 'pending' | 'success' | 'failure' | 'error'
  /** At most 140 characters (GitHub answers 422 beyond). */
  readonly description: string
  readonly context: string
  readonly targetUrl?: string | undefined
}

/** Told when GitHub rate-limits a request and the adapter waits before retrying. */
export interface RateLimitNotice {
  /** HTTP status GitHub answered (403 or 429). */
  readonly status: number
  readonly waitMs: number
  readonly attempt: number
}

export interface InstallationHooks {
  onRateLimit?(notice: RateLimitNotice): void | Promise<void>
}

/** GitHub, authenticated as one installation of the App. */
export interface InstallationApi {
  /** A file's text at `ref`; `undefined` when it does not exist. */
  readFile(repository: RepositoryRef, path: string, ref: string): Promise<string | undefined>
  /** The repository's `.tar.gz` at `ref`, streamed (GitHub redirects to its archive host). */
  downloadTarball(
    repository: RepositoryRef,
    ref: string,
    signal?: AbortSignal,
  ): Promise<AsyncIterable<Uint8Array>>
  /** The source `.zip` at `ref`, streamed. */
  downloadZipball(
    repository: RepositoryRef,
    ref: string,
    signal?: AbortSignal,
  ): Promise<AsyncIterable<Uint8Array>>
  getRelease(repository: RepositoryRef, releaseId: number): Promise<Release>
  /** A release asset's bytes, streamed (GitHub redirects to its object store). */
  downloadAsset(
    repository: RepositoryRef,
    assetId: number,
    signal?: AbortSignal,
  ): Promise<AsyncIterable<Uint8Array>>
  postStatus(repository: RepositoryRef, sha: string, status: CommitStatus): Promise<void>
}

/** The App: one {@link InstallationApi} per installation (tokens are cached inside). */
export interface GithubApi {
  installation(installationId: number, hooks?: InstallationHooks): InstallationApi
}
