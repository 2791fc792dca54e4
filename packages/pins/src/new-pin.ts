import type { PinInput } from './schemas.js'

/** A pin to create: a validated `Pin` plus who asks and where it comes from. */
export interface NewPin extends PinInput {
  readonly userId: string
  /** Default `api`. */
  readonly source?: 'api' | 'upload' | 'github'
  /** `pinning` for content just uploaded into the blockstore; default `queued`. */
  readonly status?: 'queued' | 'pinning'
  readonly githubInstallationId?: bigint | number
}

/**
 * A new pin's own fields with the defaults filled in: the one definition both ways of inserting
 * it share (the batched statement in `insert-pin.ts` and the transaction in `pins.ts`).
 */
export function newPinFields(input: NewPin) {
  return {
    userId: input.userId,
    cid: input.cid,
    cidKey: input.cidKey,
    name: input.name ?? null,
    meta: input.meta,
    origins: input.origins,
    status: input.status ?? 'queued',
    source: input.source ?? 'api',
    githubInstallationId:
      input.githubInstallationId === undefined ? null : BigInt(input.githubInstallationId),
  }
}
