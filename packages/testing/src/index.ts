/**
 * Harnesses that start or reuse the real servers Pinion's tests talk to (Postgres, NATS JetStream,
 * the stand-in Kubo), plus builders for test data. Nothing here mocks our own infrastructure.
 *
 * @example
 * ```ts
 * import { uniqueName } from '@pinion/testing'
 * const stream = uniqueName('PINS')
 * ```
 */
export { uniqueName } from './unique-name.js'
