import { isAppError, type AppError } from '@pinion/service-kit'
import {
  BadPathError,
  NoResolverError,
  NotFoundError as ExporterNotFoundError,
  NotUnixFSError,
  OverReadError,
  UnderReadError,
} from 'ipfs-unixfs-exporter'
import { ContentNotFoundError, GatewayRequestError, MalformedDagError } from './errors.js'

/**
 * Maps what `ipfs-unixfs-exporter` throws onto the gateway's errors: a missing link or key is
 * content we do not have (404), a node that is not what UnixFS promised is malformed (422), a
 * codec without a resolver is a bad request (400). AppErrors (the blockstore's BlockNotFoundError)
 * and anything unknown pass through unchanged.
 */
export function translateExporterError(error: unknown): unknown {
  if (isAppError(error)) return error as AppError
  if (error instanceof ExporterNotFoundError || error instanceof BadPathError)
    return new ContentNotFoundError(error.message, { cause: error })
  if (error instanceof NoResolverError)
    return new GatewayRequestError(error.message, { cause: error })
  if (
    error instanceof NotUnixFSError ||
    error instanceof OverReadError ||
    error instanceof UnderReadError
  )
    return new MalformedDagError(error.message, { cause: error })
  return error
}
