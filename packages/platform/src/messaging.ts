import {
  createMessaging,
  createNatsConnection,
  pinionTopology,
  type ManagedNatsConnection,
  type Messaging,
  type NatsConfig,
  type PinionTopology,
} from '@pinion/messaging'
import type { ServiceDeps } from '@pinion/service-kit'

export interface AttachedMessaging {
  readonly connection: ManagedNatsConnection
  readonly messaging: Messaging<PinionTopology>
}

/**
 * Connects to NATS (in the background: a service whose NATS is down stays up and not ready),
 * provisions Pinion's streams and consumers on every (re)connect, and registers both for start,
 * readiness and an orderly drain at shutdown.
 */
export function attachMessaging(
  deps: ServiceDeps,
  config: NatsConfig,
  options: { name: string },
): AttachedMessaging {
  const logger = deps.logger
  const connection = createNatsConnection({ servers: config.NATS_URL, name: options.name, logger })
  const messaging = createMessaging({
    connection,
    topology: pinionTopology,
    logger,
    namespace: config.NATS_NAMESPACE,
    replicas: config.NATS_STREAM_REPLICAS,
  })
  deps.startables.push(connection, messaging)
  deps.readinessChecks.push(messaging.healthCheck)
  return { connection, messaging }
}
