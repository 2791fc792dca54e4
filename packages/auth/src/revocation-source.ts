/** One revoked token as the store reports it. */
export interface RevokedToken {
  readonly tokenId: string
  /** When it was revoked, by the store's clock. */
  readonly revokedAt: Date
}

/**
 * Where revocation state lives: the `api_tokens` table, implemented by the db package. Both calls
 * must be cheap: `revoked_at` is indexed and `isActive` is a primary-key lookup.
 */
export interface RevocationSource {
  /**
   * Tokens whose `revokedAt` is at or after `since`, in any order. Called every poll interval with
   * an overlapping window, so returning a row twice is expected and harmless.
   */
  listRevokedSince(since: Date): Promise<RevokedToken[]>
  /**
   * Whether the token's row exists and is not revoked (nor expired, if the store tracks expiry).
   * A deleted row is not active: a token whose row is gone must stop working.
   */
  isActive(tokenId: string): Promise<boolean>
}
