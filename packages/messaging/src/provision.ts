import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream'
import {
  configDrift,
  consumerConfig,
  consumerStream,
  streamConfig,
  type PlacementOptions,
} from './server-config.js'
import type { AnyTopology } from './topology.js'

/** What provisioning did to one stream or consumer. */
export type ProvisionAction = 'created' | 'updated' | 'unchanged'

/** Per server-side name, what {@link ensureTopology} did. */
export interface ProvisionReport {
  readonly streams: Readonly<Record<string, ProvisionAction>>
  readonly consumers: Readonly<Record<string, ProvisionAction>>
}

// "stream name already in use with a different configuration": someone created it meanwhile.
const streamNameInUse = 10058

function hasCode(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code
}

async function ensureStream(
  jsm: JetStreamManager,
  desired: Partial<StreamConfig> & { name: string },
): Promise<ProvisionAction> {
  try {
    const info = await jsm.streams.info(desired.name)
    if (configDrift(desired, info.config).length === 0) return 'unchanged'
  } catch (error) {
    if (!hasCode(error, JetStreamApiCodes.StreamNotFound)) throw error
    try {
      // Adding an identical config is idempotent on the server, so racing services both succeed.
      await jsm.streams.add(desired)
      return 'created'
    } catch (addError) {
      if (!hasCode(addError, streamNameInUse)) throw addError
    }
  }
  const { name, ...changes } = desired
  await jsm.streams.update(name, changes)
  return 'updated'
}

async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  desired: ReturnType<typeof consumerConfig>,
): Promise<ProvisionAction> {
  try {
    const info = await jsm.consumers.info(stream, desired.durable_name)
    if (configDrift(desired, info.config).length === 0) return 'unchanged'
  } catch (error) {
    if (!hasCode(error, JetStreamApiCodes.ConsumerNotFound)) throw error
    // Identical durable configs are idempotent, so concurrent creators both succeed.
    await jsm.consumers.add(stream, desired)
    return 'created'
  }
  const { durable_name: name, ...changes } = desired
  await jsm.consumers.update(stream, name, changes)
  return 'updated'
}

/**
 * Creates or updates every stream of `topology`, then every durable consumer, so the server
 * matches the registry. Idempotent: running it twice, or from several services at once, changes
 * nothing the second time. Stream subjects follow the registry, so adding a subject updates its
 * stream in place. Changing a stream's retention is refused by the server (recreate the stream).
 *
 * @throws JetStreamApiError when the server refuses a config; connection errors as they come.
 */
export async function ensureTopology(
  jsm: JetStreamManager,
  topology: AnyTopology,
  options: PlacementOptions = {},
): Promise<ProvisionReport> {
  const streams: Record<string, ProvisionAction> = {}
  const consumers: Record<string, ProvisionAction> = {}
  await Promise.all(
    Object.keys(topology.streams).map(async (stream) => {
      const desired = streamConfig(topology, stream, options)
      streams[desired.name] = await ensureStream(jsm, desired)
    }),
  )
  await Promise.all(
    Object.keys(topology.consumers).map(async (consumer) => {
      const stream = consumerStream(topology, consumer, options)
      const action = await ensureConsumer(jsm, stream, consumerConfig(topology, consumer, options))
      consumers[`${stream}/${consumer}`] = action
    }),
  )
  return { streams, consumers }
}
