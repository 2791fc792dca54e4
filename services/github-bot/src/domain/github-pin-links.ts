/** What the bot remembers about each pin it made (the `github_pins` table). */

export interface DirectoryPinLink {
  readonly kind: 'directory'
  readonly pinId: string
  readonly installationId: number
  /** `owner/repo`. */
  readonly repository: string
  readonly deliveryId: string
  readonly cid: string
  readonly sha: string
  readonly branch: string
  /** The configured path, normalised (`docs`, `site/public`, `.`). */
  readonly path: string
  readonly context: string
}

export interface ReleasePinLink {
  readonly kind: 'release_asset'
  readonly pinId: string
  readonly installationId: number
  readonly repository: string
  readonly deliveryId: string
  readonly cid: string
  readonly tag: string
  readonly fileName: string
}

export type GithubPinLink = DirectoryPinLink | ReleasePinLink

export interface GithubPinLinks {
  add(link: GithubPinLink): Promise<void>
  find(pinId: string): Promise<GithubPinLink | undefined>
  /** The directory pin made for (repository, commit, path), the newest when several. */
  findDirectory(where: {
    repository: string
    sha: string
    path: string
  }): Promise<DirectoryPinLink | undefined>
  /** The pin made for a release file (repository, tag, file name), if any. */
  findReleaseFile(where: {
    repository: string
    tag: string
    fileName: string
  }): Promise<ReleasePinLink | undefined>
  /** Records the last commit status posted for a directory pin. */
  setStatusState(pinId: string, state: string): Promise<void>
  /** Directory pins of (repository, branch, path) beyond the newest `keep`, oldest last. */
  beyondNewest(
    where: { repository: string; branch: string; path: string },
    keep: number,
  ): Promise<DirectoryPinLink[]>
  remove(pinId: string): Promise<void>
}
