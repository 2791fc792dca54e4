import type { PinStatusValue } from '@pinion/messaging'

/** What the worker needs of a pin row. */
export interface PinRecord {
  readonly id: string
  readonly userId: string
  /** The CID as the client gave it (what status events carry). */
  readonly cid: string
  /** CIDv1 key of the CID: the reference-count key. */
  readonly cidKey: string
  readonly status: PinStatusValue
  readonly origins: readonly string[]
  /** Set for a deleted or replaced pin: the worker must not pin it any more. */
  readonly deletedAt: Date | null
  readonly replacedById: string | null
  readonly deadlineAt: Date | null
  /** Bytes, once pinned. */
  readonly dagSize: number | null
  readonly info: Readonly<Record<string, string>> | null
  /** Publishes of this row's request so far (the outbox's attempt counter). */
  readonly attempts: number
  readonly created: Date
}

/**
 * The pin rows as the worker moves them. Every transition is conditional on the row being live
 * and not final, so a redelivered or duplicated request can never move a pin twice or backwards.
 */
export interface PinRecords {
  find(id: string): Promise<PinRecord | undefined>
  /**
   * queued|pinning → pinning, setting the deadline to `defaultDeadline` when the row has none.
   *
   * @returns the row as it is now (status `pinning`, its deadline set) and the status it had, or
   *   undefined when the row is gone, removed or already final.
   */
  startPinning(
    id: string,
    defaultDeadline: Date,
  ): Promise<{ pin: PinRecord & { deadlineAt: Date }; previous: PinStatusValue } | undefined>
  /** Marks the row as moving (its stall clock restarts); called while a fetch makes progress. */
  touch(id: string): Promise<void>
  /** queued|pinning → pinned with its DAG size (also recorded on the CID's reference counter). */
  markPinned(id: string, dagSize: number): Promise<PinRecord | undefined>
  /** queued|pinning → failed with `info`. */
  markFailed(id: string, info: Record<string, string>): Promise<PinRecord | undefined>
  /**
   * Runs `unpin` in a transaction that holds the CID's reference counter locked at 0, so no pin
   * can acquire the CID meanwhile; does nothing while any pin references it.
   *
   * @returns whether `unpin` ran.
   */
  unpinIfUnreferenced(cidKey: string, unpin: () => Promise<void>): Promise<boolean>
}

/** The sweeper's queries over the same rows. */
export interface SweepRecords {
  /** Live queued/pinning rows never acknowledged by JetStream, older than `before`. */
  unpublishedRequests(before: Date, limit: number): Promise<PinRecord[]>
  /** Deleted or replaced rows whose removal was never acknowledged, older than `before`. */
  unpublishedRemovals(before: Date, limit: number): Promise<PinRecord[]>
  /** Live queued/pinning rows that were published but have not moved since `before`. */
  stalled(before: Date, limit: number): Promise<PinRecord[]>
  /** Records that JetStream took `attempt` of this row's request. */
  markRequestPublished(id: string, attempt: number): Promise<void>
  /** Records that JetStream took this row's removal. */
  markRemovalPublished(id: string): Promise<void>
  /** Fails live queued/pinning rows whose deadline passed; returns them, now `failed`. */
  failExpired(now: Date, info: Record<string, string>, limit: number): Promise<PinRecord[]>
}
