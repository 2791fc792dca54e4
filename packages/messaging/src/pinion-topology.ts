import {
  GithubDeliverySchema,
  PinRemovedSchema,
  PinRequestedSchema,
  PinStatusChangedSchema,
  TokenRevokedSchema,
} from './payloads.js'
import { defineTopology } from './topology.js'

const second = 1000
const minute = 60 * second
const hour = 60 * minute
const day = 24 * hour

/**
 * Pinion's streams, subjects and durable consumers, defined once. To add a subject: add its
 * payload schema to payloads.ts and one line under `subjects` (and a consumer if a service reads
 * it with a durable consumer; per-instance fan-out uses `listen` and needs no entry).
 */
export const pinionTopology = defineTopology({
  streams: {
    PINS: {
      description: 'Pin work for the worker: requests and removals, kept until acked',
      retention: 'workqueue',
      maxAgeMs: 7 * day,
      duplicateWindowMs: 2 * minute,
    },
    PIN_STATUS: {
      description: 'Pin status changes, fanned out to github-bot and dashboards',
      retention: 'limits',
      maxAgeMs: day,
      duplicateWindowMs: 2 * minute,
    },
    GITHUB: {
      description: 'Verified GitHub webhook deliveries, from the receiver to the processor',
      retention: 'workqueue',
      maxAgeMs: 7 * day,
      // GitHub redelivers with the same delivery id; a longer window absorbs manual redeliveries.
      duplicateWindowMs: 10 * minute,
    },
    TOKENS: {
      description: 'API token revocations, fanned out to every service instance',
      retention: 'limits',
      maxAgeMs: day,
      duplicateWindowMs: 2 * minute,
    },
  },
  subjects: {
    'pinion.pins.requested': { stream: 'PINS', schema: PinRequestedSchema },
    'pinion.pins.removed': { stream: 'PINS', schema: PinRemovedSchema },
    'pinion.pins.status': { stream: 'PIN_STATUS', schema: PinStatusChangedSchema },
    'pinion.github.deliveries': { stream: 'GITHUB', schema: GithubDeliverySchema },
    'pinion.tokens.revoked': { stream: 'TOKENS', schema: TokenRevokedSchema },
  },
  consumers: {
    // Fetching a DAG can take minutes: the worker sends progress acks well within ackWaitMs.
    'worker-pin-requests': {
      subject: 'pinion.pins.requested',
      ackWaitMs: 30 * second,
      maxDeliver: 8,
      backoffMs: [1 * second, 5 * second, 30 * second, 2 * minute, 10 * minute],
    },
    'worker-pin-removals': {
      subject: 'pinion.pins.removed',
      ackWaitMs: 30 * second,
      maxDeliver: 8,
      backoffMs: [1 * second, 5 * second, 30 * second, 2 * minute],
    },
    'github-bot-pin-status': {
      subject: 'pinion.pins.status',
      ackWaitMs: 30 * second,
      maxDeliver: 6,
      backoffMs: [2 * second, 10 * second, 1 * minute, 5 * minute],
    },
    'github-bot-deliveries': {
      subject: 'pinion.github.deliveries',
      ackWaitMs: 60 * second,
      maxDeliver: 6,
      backoffMs: [2 * second, 10 * second, 1 * minute, 5 * minute],
    },
  },
})

/** The type of {@link pinionTopology}. */
export type PinionTopology = typeof pinionTopology
