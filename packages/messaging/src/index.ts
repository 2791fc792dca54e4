/**
 * NATS JetStream for Pinion. One registry ({@link pinionTopology}) names every stream, subject
 * (with the zod schema of its payload) and durable consumer; {@link createNatsConnection} keeps a
 * connection that may be down without crashing the service; {@link createMessaging} provisions
 * the registry idempotently, publishes validated payloads with `Nats-Msg-Id` de-duplication and
 * runs consume loops (explicit ack, nak with backoff, term, progress acks, bounded redeliveries)
 * and per-instance listeners. Delivery is at least once: handlers must be idempotent.
 *
 * @example
 * ```ts
 * const nats = createNatsConnection({ servers: config.NATS_URL, name: 'worker', logger })
 * const messaging = createMessaging({ connection: nats, topology: pinionTopology, logger })
 * const pins = messaging.consume({
 *   consumer: 'worker-pin-requests',
 *   concurrency: 4,
 *   handler: async (pin, { working }) => { await keepDag(pin.cid, { onProgress: working }) },
 *   onExhausted: (pin, { error }) => markFailed(pin.requestId, error),
 * })
 * deps.startables.push(nats, messaging, pins) // stopped in reverse: loop, then drain
 * deps.readinessChecks.push(messaging.healthCheck)
 * await messaging.publish('pinion.pins.requested', request, { msgId: `pin:${request.requestId}` })
 * ```
 */
export { natsSchema, type NatsConfig } from './config.js'
export {
  createNatsConnection,
  type ManagedNatsConnection,
  type NatsConnectionOptions,
} from './connection.js'
export { InvalidMessageError, MessagingUnavailableError } from './errors.js'
export {
  defineTopology,
  type AnyTopology,
  type ConsumerOf,
  type ConsumerPayload,
  type ConsumerSpec,
  type PayloadInput,
  type PayloadOf,
  type Retention,
  type StreamSpec,
  type SubjectOf,
  type SubjectSpec,
  type Topology,
} from './topology.js'
export { registrySubject, streamName, subjectName, validateNamespace } from './naming.js'
export { pinionTopology, type PinionTopology } from './pinion-topology.js'
export {
  publishPinRemoved,
  publishPinRequested,
  type RemovedPinRow,
  type RequestedPinRow,
} from './pin-outbox.js'
export {
  GithubDeliverySchema,
  PinRemovedSchema,
  PinRequestedSchema,
  PinStatusChangedSchema,
  PinStatusValueSchema,
  TokenRevokedSchema,
  type GithubDelivery,
  type PinRemoved,
  type PinRequested,
  type PinStatusChanged,
  type PinStatusValue,
  type TokenRevoked,
} from './payloads.js'
export { consumerConfig, streamConfig, type PlacementOptions } from './server-config.js'
export { ensureTopology, type ProvisionAction, type ProvisionReport } from './provision.js'
export { retryDelay } from './backoff.js'
export { retryLater, isPermanentError, type RetryLater } from './outcome.js'
export {
  createPublisher,
  type Publish,
  type PublisherInit,
  type PublishOptions,
  type PublishResult,
} from './publish.js'
export type {
  ExhaustedHook,
  ExhaustedInfo,
  HandlerContext,
  MessageHandler,
} from './handle-message.js'
export { type ConsumeLoop, type ConsumeOptions } from './consume.js'
export { type ListenContext, type ListenOptions } from './listen.js'
export { createMessaging, type Messaging, type MessagingInit } from './messaging.js'
