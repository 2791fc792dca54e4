/** The App's installations as the bot keeps them (`github_installations` and its repositories). */

export interface InstallationAccount {
  readonly id: number
  readonly login: string
  /** `User` or `Organization`. */
  readonly type: string
}

export interface InstallationRepository {
  readonly id: number
  readonly fullName: string
}

export interface InstallationOwner {
  /** The Pinion user the installation's pins belong to, once linked. */
  readonly userId: string | undefined
  readonly accountLogin: string
  readonly suspended: boolean
}

export interface Installations {
  /**
   * Creates or updates the installation and links it to a Pinion user: the one whose GitHub
   * identity is one of `githubUserIds` (the account for a personal install, then the sender).
   */
  save(
    installation: { id: number; account: InstallationAccount; suspended: boolean },
    githubUserIds: readonly number[],
  ): Promise<InstallationOwner>
  remove(installationId: number): Promise<void>
  setSuspended(installationId: number, suspended: boolean): Promise<void>
  addRepositories(
    installationId: number,
    repositories: readonly InstallationRepository[],
  ): Promise<void>
  removeRepositories(installationId: number, repositoryIds: readonly number[]): Promise<void>
  /** The installation's owner; `undefined` when the installation is unknown. */
  owner(installationId: number): Promise<InstallationOwner | undefined>
}
