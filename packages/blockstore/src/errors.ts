import { AppError } from '@pinion/service-kit'

/**
 * The blockstore's errors. Each carries a service-kit `reason` (so routes and consumers map it
 * without knowing the blockstore) and, where one reason covers several causes, a finer `code`.
 */

/** The block is not in this blockstore. Reads never go to the network to find it. */
export class BlockNotFoundError extends AppError {
  readonly cid: string

  constructor(cid: string, options: { cause?: unknown } = {}) {
    super('NOT_FOUND', { details: `Block ${cid} is not in the blockstore`, cause: options.cause })
    this.cid = cid
  }
}

/** Why a CAR (or a block given with its CID) was refused. */
export type InvalidCarCode =
  /** The stream does not start with a readable CARv1/CARv2 header (or is empty). */
  | 'BAD_HEADER'
  /** The stream ended inside a header or block section. */
  | 'TRUNCATED'
  /** A section is malformed: zero length, unreadable CID. */
  | 'BAD_BLOCK'
  /** A block's bytes do not hash to the digest in its CID. */
  | 'HASH_MISMATCH'
  /** The CID's multihash function is not one we can verify. */
  | 'UNSUPPORTED_HASH'
  /** The CID's codec is not one we can decode and walk. */
  | 'UNSUPPORTED_CODEC'
  /** A block is larger than the configured maximum. */
  | 'BLOCK_TOO_LARGE'
  /** A fetched CAR holds a block that is not part of the DAG that was asked for. */
  | 'UNEXPECTED_BLOCK'

/**
 * A CAR stream (or a block written with `put`/`putMany`) failed verification. When thrown by
 * `importCar`, nothing from that CAR was stored.
 */
export class InvalidCarError extends AppError {
  readonly code: InvalidCarCode
  /** The offending block's CID, when the failure is about one block. */
  readonly cid: string | undefined

  constructor(
    code: InvalidCarCode,
    details: string,
    options: { cid?: string; cause?: unknown } = {},
  ) {
    super('BAD_REQUEST', { details: `Invalid CAR (${code}): ${details}`, cause: options.cause })
    this.code = code
    this.cid = options.cid
  }
}

/** A stored block could not be decoded with its CID's codec while walking a DAG. */
export class BlockDecodeError extends AppError {
  readonly cid: string

  constructor(cid: string, options: { cause?: unknown } = {}) {
    super('UNPROCESSABLE_ENTITY', {
      details: `Block ${cid} cannot be decoded with its codec`,
      cause: options.cause,
    })
    this.cid = cid
  }
}

/**
 * A pin's deadline passed before the whole DAG was present. Retrying later (with a new deadline)
 * may succeed, so the reason is SERVICE_UNAVAILABLE rather than a permanent one.
 */
export class FetchTimeoutError extends AppError {
  readonly cid: string

  constructor(cid: string, deadlineMs: number, detail?: string) {
    const suffix = detail === undefined ? '' : `: ${detail}`
    super('SERVICE_UNAVAILABLE', {
      details: `Could not get the whole DAG of ${cid} within ${deadlineMs} ms${suffix}`,
    })
    this.cid = cid
  }
}

/**
 * No source (trustless gateway, origin, or Kubo's network) could provide a missing block, or every
 * source that answered sent bytes that failed verification.
 */
export class ContentUnavailableError extends AppError {
  readonly cid: string

  constructor(cid: string, detail: string, options: { cause?: unknown } = {}) {
    super('NOT_FOUND', {
      details: `Content ${cid} is unavailable: ${detail}`,
      cause: options.cause,
    })
    this.cid = cid
  }
}

/** The backend (Kubo's RPC API, the blockstore folder) cannot be reached or failed. */
export class BlockstoreUnavailableError extends AppError {
  constructor(details: string, options: { cause?: unknown } = {}) {
    super('SERVICE_UNAVAILABLE', { details, cause: options.cause })
  }
}
