/**
 * Harnesses that start or reuse the real servers Pinion's tests talk to (Postgres, NATS JetStream,
 * the stand-in Kubo), plus builders for test data. Nothing here mocks our own infrastructure.
 *
 * @example
 * ```ts
 * import { startKubo, uniqueName } from '@pinion/testing'
 * const stream = uniqueName('PINS')
 * const kubo = await startKubo() // js-ipfs daemon, offline, free ports
 * // … KUBO_RPC_URL = kubo.rpcUrl …
 * await kubo.stop()
 * ```
 */
export { uniqueName } from './unique-name.js'
export { startKubo, type RunningKubo, type StartKuboOptions } from './kubo.js'
