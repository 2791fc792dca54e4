import type { ServerResponse } from 'node:http'
import { type Reason, reasonStatus } from './errors.js'

/** The Pinning Service API `Failure` schema, used by every Pinion service for every error. */
export interface FailureBody {
  error: { reason: string; details?: string }
}

/**
 * Writes a `Failure` body with the status mapped from `reason`, on any `node:http` response (an
 * Express one, or a raw one on a fast route), in one `writeHead`: `headers` (names and values in
 * turn) go with it, after any already set. An empty `details` is omitted because the spec's schema
 * (and the compliance suite) reject `details: ""`. No ETag: an error is not worth revalidating.
 */
export function writeFailure(
  res: ServerResponse,
  reason: Reason,
  details?: string,
  headers: readonly string[] = [],
): void {
  const body: FailureBody = { error: details ? { reason, details } : { reason } }
  const bytes = Buffer.from(JSON.stringify(body))
  res.writeHead(reasonStatus[reason], [
    ...headers,
    'Content-Type',
    'application/json; charset=utf-8',
    'Content-Length',
    String(bytes.length),
  ])
  res.end(bytes)
}

/** {@link writeFailure} under the name the Express routes know it by. */
export function sendFailure(res: ServerResponse, reason: Reason, details?: string): void {
  writeFailure(res, reason, details)
}
