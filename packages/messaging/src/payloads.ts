import { z } from 'zod'

/**
 * Payload schemas of Pinion's subjects. Payloads carry ids and small facts, never large bodies:
 * a webhook body or a pin's metadata stays in Postgres and the message names the row. Timestamps
 * are ISO 8601 strings (UTC), sizes are bytes.
 */

const id = z.string().min(1).max(200)
/** A CID as text (any multibase); the pinning API has already parsed and normalised it. */
const cid = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9]+$/, 'not a CID string')
const timestamp = z.iso.datetime({ offset: true })

/** Pin status values of the IPFS Pinning Service API. */
export const PinStatusValueSchema = z.enum(['queued', 'pinning', 'pinned', 'failed'])
export type PinStatusValue = z.infer<typeof PinStatusValueSchema>

/** `pinion.pins.requested`: make the blockstore keep this DAG for this pin request. */
export const PinRequestedSchema = z.object({
  requestId: id,
  userId: id,
  cid,
  /** Multiaddrs or HTTP(S) trustless-gateway URLs the user says have the content. */
  origins: z.array(z.string().min(1).max(2048)).max(20).default([]),
  /** Which publish of this request this is (the outbox sweeper increments it); starts at 1. */
  attempt: z.number().int().min(1).default(1),
  requestedAt: timestamp,
})
export type PinRequested = z.infer<typeof PinRequestedSchema>

/** `pinion.pins.removed`: a pin request was deleted or replaced; drop its reference. */
export const PinRemovedSchema = z.object({
  requestId: id,
  userId: id,
  /** The reference-count key of the pinned CID (its normalised form, as stored in Postgres). */
  cidKey: z.string().min(1).max(512),
  removedAt: timestamp,
})
export type PinRemoved = z.infer<typeof PinRemovedSchema>

/** `pinion.pins.status`: a pin moved to a new status (published by the worker). */
export const PinStatusChangedSchema = z.object({
  requestId: id,
  userId: id,
  status: PinStatusValueSchema,
  cid,
  /** Total size of the DAG in bytes, once known. */
  dagSize: z.number().int().min(0).optional(),
  /** Pinning API `info`: short strings, e.g. `{ reason: 'deadline exceeded' }` on failure. */
  info: z.record(z.string().max(255), z.string().max(2048)).optional(),
  at: timestamp,
})
export type PinStatusChanged = z.infer<typeof PinStatusChangedSchema>

/** `pinion.github.deliveries`: a verified webhook delivery was stored; process it. */
export const GithubDeliverySchema = z.object({
  /** GitHub's `X-GitHub-Delivery` GUID. */
  deliveryId: id,
  /** GitHub's `X-GitHub-Event`, e.g. `release` or `push`. */
  event: z.string().min(1).max(100),
  /** The payload's `action`, when the event has one. */
  action: z.string().min(1).max(100).optional(),
  installationId: z.number().int().positive().optional(),
  /** The webhook event row holding the body (bodies can exceed NATS's payload limit). */
  webhookEventId: id,
  receivedAt: timestamp,
})
export type GithubDelivery = z.infer<typeof GithubDeliverySchema>

/** `pinion.tokens.revoked`: every service drops this API token within seconds. */
export const TokenRevokedSchema = z.object({
  tokenId: id,
  at: timestamp,
})
export type TokenRevoked = z.infer<typeof TokenRevokedSchema>
