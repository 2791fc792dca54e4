import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type StreamConfig,
} from '@nats-io/jetstream'
import { streamName, subjectName } from './naming.js'
import { subjectsOfStream, type AnyTopology } from './topology.js'

/** Where a topology is provisioned. */
export interface PlacementOptions {
  /** Prefix of stream names and subjects; see {@link streamName}. Default empty. */
  namespace?: string
  /** Replicas of each stream (consumers inherit them). Default 1. */
  replicas?: number
}

const nanosPerMs = 1_000_000

/** The desired server config of registry stream `stream` (names and subjects namespaced). */
export function streamConfig(
  topology: AnyTopology,
  stream: string,
  options: PlacementOptions = {},
): Partial<StreamConfig> & { name: string; subjects: string[] } {
  const spec = topology.streams[stream]
  if (!spec) throw new RangeError(`unknown stream ${stream}`)
  const namespace = options.namespace ?? ''
  return {
    name: streamName(stream, namespace),
    description: spec.description,
    subjects: subjectsOfStream(topology, stream).map((subject) => subjectName(subject, namespace)),
    retention: spec.retention === 'workqueue' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage: StorageType.File,
    // Age is the only limit: a size or count limit would silently drop unprocessed work.
    discard: DiscardPolicy.Old,
    max_age: spec.maxAgeMs * nanosPerMs,
    duplicate_window: spec.duplicateWindowMs * nanosPerMs,
    max_msg_size: spec.maxMsgSize ?? -1,
    num_replicas: options.replicas ?? 1,
  }
}

/** The desired server config of registry consumer `consumer` (a durable pull consumer). */
export function consumerConfig(
  topology: AnyTopology,
  consumer: string,
  options: PlacementOptions = {},
): Partial<ConsumerConfig> & { durable_name: string; filter_subject: string } {
  const spec = topology.consumers[consumer]
  if (!spec) throw new RangeError(`unknown consumer ${consumer}`)
  return {
    durable_name: consumer,
    filter_subject: subjectName(spec.subject, options.namespace ?? ''),
    ack_policy: AckPolicy.Explicit,
    ack_wait: spec.ackWaitMs * nanosPerMs,
    max_deliver: spec.maxDeliver,
    max_ack_pending: spec.maxAckPending ?? 1000,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
  }
}

/** The stream (server name) that consumer `consumer` reads. */
export function consumerStream(
  topology: AnyTopology,
  consumer: string,
  options: PlacementOptions = {},
): string {
  const subject = topology.consumers[consumer]?.subject
  const stream = subject === undefined ? undefined : topology.subjects[subject]?.stream
  if (stream === undefined) throw new RangeError(`unknown consumer ${consumer}`)
  return streamName(stream, options.namespace ?? '')
}

/**
 * The keys of `desired` whose values differ in `actual` (arrays compared as sets): what an update
 * would change. Empty means the server already has the desired config.
 */
export function configDrift(desired: object, actual: object): string[] {
  const current = actual as Record<string, unknown>
  return Object.entries(desired)
    .filter(([key, value]) => {
      const other = current[key]
      if (Array.isArray(value)) {
        return (
          !Array.isArray(other) ||
          other.length !== value.length ||
          !value.every((item) => other.includes(item))
        )
      }
      return value !== other
    })
    .map(([key]) => key)
}
