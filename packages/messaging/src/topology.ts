import type { z } from 'zod'

/**
 * The shape of a messaging topology: streams, the subjects each one stores (with the zod schema of
 * their payload), and the durable pull consumers that read them. One value of this shape, defined
 * once with {@link defineTopology}, drives provisioning, publish validation and consume typing.
 */

/**
 * `workqueue`: a message stays until a consumer acks it, and each subject has at most one
 * consumer (work handed to exactly one service). `limits`: messages are kept for `maxAgeMs`
 * whatever consumers do, so any number of consumers and listeners each see every message (fan-out).
 */
export type Retention = 'workqueue' | 'limits'

/** One stream. Its subjects are the registry subjects that name it. */
export interface StreamSpec {
  readonly description: string
  readonly retention: Retention
  /** How long a message is kept at most, in ms (work-queue messages nobody acked are lost after). */
  readonly maxAgeMs: number
  /** Window in ms within which a second publish with the same `Nats-Msg-Id` is dropped. */
  readonly duplicateWindowMs: number
  /** Largest payload in bytes the stream accepts; defaults to the server's max_payload. */
  readonly maxMsgSize?: number
}

/** One subject: the stream that stores it and the schema of its payload. */
export interface SubjectSpec<Stream extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly stream: Stream
  readonly schema: Schema
}

/** A durable pull consumer with explicit ack, named `<service>-<purpose>`, on one subject. */
export interface ConsumerSpec<Subject extends string = string> {
  readonly subject: Subject
  /** How long in ms a delivered message may stay unacked before the server redelivers it. */
  readonly ackWaitMs: number
  /** Deliveries in all (first one included) before the server gives up on a message. */
  readonly maxDeliver: number
  /** Delay in ms before retry n (n = 1, 2, …) after a failed attempt; the last entry repeats. */
  readonly backoffMs: readonly number[]
  /** Unacked messages the server hands out at once across all instances. Default 1000. */
  readonly maxAckPending?: number
}

/** A complete topology; see {@link defineTopology}. */
export interface Topology<
  Streams extends Record<string, StreamSpec> = Record<string, StreamSpec>,
  Subjects extends Record<string, SubjectSpec<keyof Streams & string>> = Record<
    string,
    SubjectSpec<keyof Streams & string>
  >,
  Consumers extends Record<string, ConsumerSpec<keyof Subjects & string>> = Record<
    string,
    ConsumerSpec<keyof Subjects & string>
  >,
> {
  readonly streams: Streams
  readonly subjects: Subjects
  readonly consumers: Consumers
}

/** Any topology, whatever its names. */
export type AnyTopology = Topology<
  Record<string, StreamSpec>,
  Record<string, SubjectSpec>,
  Record<string, ConsumerSpec>
>

/** The subjects of a topology. */
export type SubjectOf<T extends AnyTopology> = keyof T['subjects'] & string
/** The payload a handler receives for subject `S` (the schema's output). */
export type PayloadOf<T extends AnyTopology, S extends SubjectOf<T>> = z.output<
  T['subjects'][S]['schema']
>
/** What `publish` accepts for subject `S` (the schema's input, before defaults and transforms). */
export type PayloadInput<T extends AnyTopology, S extends SubjectOf<T>> = z.input<
  T['subjects'][S]['schema']
>
/** The durable consumer names of a topology. */
export type ConsumerOf<T extends AnyTopology> = keyof T['consumers'] & string
/** The payload consumer `C` delivers. */
export type ConsumerPayload<T extends AnyTopology, C extends ConsumerOf<T>> = PayloadOf<
  T,
  T['consumers'][C]['subject'] & SubjectOf<T>
>

const streamPattern = /^[A-Z][A-Z0-9_]*$/
const subjectPattern = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/
const consumerPattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/

function isNonNegativeInteger(value: number): boolean {
  return Number.isInteger(value) && value >= 0
}

function checkStream(name: string, spec: StreamSpec): void {
  if (!streamPattern.test(name)) throw new RangeError(`stream "${name}" must be UPPER_CASE`)
  if (!(Number.isInteger(spec.maxAgeMs) && spec.maxAgeMs > 0)) {
    throw new RangeError(`stream ${name}: maxAgeMs must be a positive integer`)
  }
  if (!(Number.isInteger(spec.duplicateWindowMs) && spec.duplicateWindowMs > 0)) {
    throw new RangeError(`stream ${name}: duplicateWindowMs must be a positive integer`)
  }
  // The server refuses a duplicate window longer than the stream keeps messages.
  if (spec.duplicateWindowMs > spec.maxAgeMs) {
    throw new RangeError(`stream ${name}: duplicateWindowMs exceeds maxAgeMs`)
  }
}

function checkConsumer(name: string, spec: ConsumerSpec, subjects: Record<string, unknown>): void {
  if (!consumerPattern.test(name)) {
    throw new RangeError(`consumer "${name}" must be named <service>-<purpose> in lower case`)
  }
  if (!(spec.subject in subjects)) {
    throw new RangeError(`consumer ${name} reads unknown subject "${spec.subject}"`)
  }
  if (!(Number.isInteger(spec.ackWaitMs) && spec.ackWaitMs >= 100)) {
    throw new RangeError(`consumer ${name}: ackWaitMs must be an integer ≥ 100`)
  }
  if (!(Number.isInteger(spec.maxDeliver) && spec.maxDeliver >= 1)) {
    throw new RangeError(`consumer ${name}: maxDeliver must be an integer ≥ 1`)
  }
  if (spec.backoffMs.length === 0 || !spec.backoffMs.every(isNonNegativeInteger)) {
    throw new RangeError(`consumer ${name}: backoffMs must list non-negative integers`)
  }
}

/**
 * Checks a topology and returns it unchanged, typed so that subjects, payloads and consumer names
 * are known at compile time. Streams are `UPPER_CASE`, subjects dotted lower case, consumers
 * `<service>-<purpose>`; every reference must resolve, and a work-queue subject has at most one
 * consumer (the server rejects overlapping consumers on work-queue streams).
 *
 * @throws RangeError naming the first bad entry.
 */
export function defineTopology<
  const Streams extends Record<string, StreamSpec>,
  const Subjects extends Record<string, SubjectSpec<keyof Streams & string>>,
  const Consumers extends Record<string, ConsumerSpec<keyof Subjects & string>>,
>(topology: Topology<Streams, Subjects, Consumers>): Topology<Streams, Subjects, Consumers> {
  for (const [name, spec] of Object.entries(topology.streams)) checkStream(name, spec)
  for (const [subject, spec] of Object.entries(topology.subjects)) {
    if (!subjectPattern.test(subject)) {
      throw new RangeError(`subject "${subject}" must be dotted lower case without wildcards`)
    }
    if (!(spec.stream in topology.streams)) {
      throw new RangeError(`subject ${subject} names unknown stream "${spec.stream}"`)
    }
  }
  const workQueueReaders = new Map<string, string>()
  for (const [name, spec] of Object.entries(topology.consumers)) {
    checkConsumer(name, spec, topology.subjects)
    const stream = topology.subjects[spec.subject]?.stream ?? ''
    if (topology.streams[stream]?.retention !== 'workqueue') continue
    const other = workQueueReaders.get(spec.subject)
    if (other !== undefined) {
      throw new RangeError(
        `work-queue subject ${spec.subject} has two consumers: ${other}, ${name}`,
      )
    }
    workQueueReaders.set(spec.subject, name)
  }
  return topology
}

/** The registry subjects stored by `stream`, in registry order. */
export function subjectsOfStream(topology: AnyTopology, stream: string): string[] {
  return Object.entries(topology.subjects)
    .filter(([, spec]) => spec.stream === stream)
    .map(([subject]) => subject)
}
