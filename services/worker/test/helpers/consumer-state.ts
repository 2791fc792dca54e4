import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { streamName } from '@pinion/messaging'

/**
 * Whether the worker has settled every message of one of its consumers: none waiting, none
 * delivered and unacknowledged. Read from the server, so it says what JetStream knows.
 */
export async function consumerIdle(
  url: string,
  namespace: string,
  consumer: WorkerConsumer,
): Promise<boolean> {
  const info = await consumerInfo(url, namespace, consumer)
  return info.num_pending === 0 && info.num_ack_pending === 0
}

type WorkerConsumer = 'worker-pin-requests' | 'worker-pin-removals'

/** The server's view of one of the worker's consumers. */
export async function consumerInfo(url: string, namespace: string, consumer: WorkerConsumer) {
  const connection = await connect({ servers: url })
  try {
    const manager = await jetstreamManager(connection)
    return await manager.consumers.info(streamName('PINS', namespace), consumer)
  } finally {
    await connection.close()
  }
}
