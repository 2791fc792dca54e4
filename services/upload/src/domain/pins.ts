/**
 * What upload needs from the pins package: a stored-bytes allowance to check against, and a way
 * to create a pin for content it has just stored. Injected, so the domain is tested with a fake
 * and the implementation is one line in deps.ts.
 */

import type { PinStatus } from '@pinion/pins'

/** The Pinning API `PinStatus` object, as returned to the client (defined by `@pinion/pins`). */
export type PinStatusBody = PinStatus

/** A pin for content the upload service has just stored (so it starts in `pinning`). */
export interface UploadPinRequest {
  userId: string
  /** The root CID, CIDv1 base32. */
  cid: string
  name: string | undefined
  meta: Record<string, string>
  source: 'upload'
  status: 'pinning'
}

/** The pins package, as upload uses it. */
export interface PinRequests {
  /**
   * Bytes the user may still store; `undefined` when they have no stored-bytes limit.
   * May be zero or negative once the limit is reached.
   */
  remainingStoredBytes(userId: string): Promise<bigint | undefined>
  /** Records the pin (and hands it to the worker), answering its PinStatus. */
  requestPin(request: UploadPinRequest): Promise<PinStatusBody>
}
