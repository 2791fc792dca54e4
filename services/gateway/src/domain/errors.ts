import { AppError } from '@pinion/service-kit'

/**
 * The gateway's domain errors. Each carries a service-kit reason (mapped to a status by the one
 * reason → status table); none knows about HTTP.
 */

/** The request cannot be served as asked: bad CID, bad path, bad parameter (400). */
export class GatewayRequestError extends AppError {
  constructor(details: string, options: { cause?: unknown } = {}) {
    super('BAD_REQUEST', { details, cause: options.cause })
  }
}

/** The content (a block, a path segment) is not in this gateway's blockstore (404). */
export class ContentNotFoundError extends AppError {
  constructor(details: string, options: { cause?: unknown } = {}) {
    super('NOT_FOUND', { details, cause: options.cause })
  }
}

/** The requested format does not match the content's codec (406, IPIP-0524). */
export class NotAcceptableError extends AppError {
  constructor(details: string) {
    super('NOT_ACCEPTABLE', { details })
  }
}

/** `Cache-Control: only-if-cached` and the root block is not here (412). */
export class NotCachedError extends AppError {
  constructor(cid: string) {
    super('PRECONDITION_FAILED', { details: `${cid} is not in this gateway's blockstore` })
  }
}

/** No byte range of the request can be served (416); `size` goes in `Content-Range: bytes *\/size`. */
export class RangeNotSatisfiableError extends AppError {
  readonly size: number

  constructor(size: number) {
    super('RANGE_NOT_SATISFIABLE', { details: `No requested range overlaps the ${size} bytes` })
    this.size = size
  }
}

/** A path that goes on inside a dag-json/dag-cbor document rather than through a link (501). */
export class PathInsideDocumentError extends AppError {
  constructor(rest: readonly string[]) {
    super('NOT_IMPLEMENTED', {
      // The path gateway spec answers 501 here: a gateway follows Links (CBOR tag 42) between
      // blocks, and addressing a value inside one document is the client's job.
      details: `Cannot resolve /${rest.join('/')}: the path continues inside a dag-json/dag-cbor document, and gateways follow only Links (CBOR Tag 42) between blocks`,
    })
  }
}

/**
 * The DAG does not look like what its codec promised (a corrupt UnixFS node, a file tree deeper
 * than allowed). Before any byte is sent this is a client-visible 422; mid-stream it cuts the
 * response.
 */
export class MalformedDagError extends AppError {
  constructor(details: string, options: { cause?: unknown } = {}) {
    super('UNPROCESSABLE_ENTITY', { details, cause: options.cause })
  }
}
