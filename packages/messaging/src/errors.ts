import { AppError, ServiceUnavailableError, type AppErrorOptions } from '@pinion/service-kit'
import type { ZodError } from 'zod'

/**
 * NATS or JetStream cannot take the message right now (disconnected, no ack within the timeout,
 * stream not provisioned yet). Retrying later may work: a caller with an outbox leaves the row
 * unpublished and lets its sweeper publish it again.
 */
export class MessagingUnavailableError extends ServiceUnavailableError {
  constructor(details: string, options: Omit<AppErrorOptions, 'details'> = {}) {
    super(details, options)
  }
}

/**
 * A payload does not match its subject's schema. On publish nothing is sent; on consume the
 * message is terminated, since every redelivery would fail the same way.
 */
export class InvalidMessageError extends AppError {
  /** The subject (without namespace) whose schema rejected the payload. */
  readonly subject: string

  constructor(subject: string, details: string, options: Omit<AppErrorOptions, 'details'> = {}) {
    super('BAD_REQUEST', { ...options, details: `${subject}: ${details}` })
    this.subject = subject
  }
}

/** A short summary of a zod failure that names paths, never values: `path: message; …`. */
export function summarizeIssues(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`)
    .join('; ')
}
