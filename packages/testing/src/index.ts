/**
 * Harnesses that start or reuse the real servers Pinion's tests talk to (Postgres, NATS JetStream,
 * the stand-in Kubo), plus builders for test data. Nothing here mocks our own infrastructure.
 *
 * @example
 * ```ts
 * import { uniqueName, natsUrl, uniqueNamespace, cleanupNamespace } from '@pinion/testing'
 * const database = uniqueName('pins')
 * const namespace = uniqueNamespace() // streams T…_PINS, subjects t….pinion.pins.requested
 * afterAll(() => cleanupNamespace(natsUrl(), namespace))
 * ```
 */
export { uniqueName } from './unique-name.js'
export {
  cleanupNamespace,
  findNatsServerBinary,
  natsUrl,
  startNatsServer,
  uniqueNamespace,
  type NatsServerHandle,
  type NatsServerOptions,
} from './nats.js'
