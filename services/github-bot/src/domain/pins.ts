/**
 * What github-bot needs from the pins package (`@pinion/pins`: createPin with source `github`,
 * deletePin). A port, so the domain is the same whichever adapter implements it.
 */

/** A pin for content the bot has just written to the blockstore (so it starts in `pinning`). */
export interface GithubPinRequest {
  readonly userId: string
  /** CIDv1 base32. */
  readonly cid: string
  /** e.g. `owner/repo@sha:docs` or `owner/repo@v1.2.0:app.tar.gz`. */
  readonly name: string
  readonly meta: Record<string, string>
  readonly installationId: number
}

export interface GithubPins {
  /**
   * Bytes the user may still store; `undefined` when they have no stored-bytes limit.
   * May be zero or negative once the limit is reached.
   */
  remainingStoredBytes(userId: string): Promise<bigint | undefined>
  /** Records the pin and hands it to the worker; answers the pin's id (the Pinning API requestid). */
  requestPin(request: GithubPinRequest): Promise<{ pinId: string }>
  /** The pin's status and source; `undefined` when it does not exist or was deleted. */
  describe(
    pinId: string,
  ): Promise<{ status: 'queued' | 'pinning' | 'pinned' | 'failed'; source: string } | undefined>
  /** Deletes the pin (its blocks go once no pin references the CID); a gone pin is no error. */
  removePin(userId: string, pinId: string): Promise<void>
}
