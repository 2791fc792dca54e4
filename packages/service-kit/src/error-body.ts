import type { Response } from 'express'
import { type Reason, reasonStatus } from './errors.js'

/** The Pinning Service API `Failure` schema, used by every Pinion service for every error. */
export interface FailureBody {
  error: { reason: string; details?: string }
}

/**
 * Writes a `Failure` body with the status mapped from `reason`. An empty `details` is omitted because
 * the spec's schema (and the compliance suite) reject `details: ""`.
 */
export function sendFailure(res: Response, reason: Reason, details?: string): void {
  const body: FailureBody = { error: details ? { reason, details } : { reason } }
  res.status(reasonStatus[reason]).type('application/json').send(JSON.stringify(body))
}
