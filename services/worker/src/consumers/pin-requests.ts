import type { ConsumeLoop, Messaging, PinionTopology } from '@pinion/messaging'
import {
  processPinRequest,
  type PinRequestComponents,
  type PinRequestInit,
} from '../domain/process-pin-request.js'

/**
 * The `worker-pin-requests` consume loop: each request runs through {@link processPinRequest};
 * returning acks it, a throw (a dependency down) naks it with the consumer's backoff. A request
 * given up after its last delivery stays queued/pinning in Postgres, where the sweeper publishes
 * it again or fails it at its deadline, so no pin is left waiting forever.
 */
export function createPinRequestConsumer(
  messaging: Pick<Messaging<PinionTopology>, 'consume'>,
  components: PinRequestComponents,
  init: PinRequestInit & { concurrency: number },
): ConsumeLoop {
  return messaging.consume({
    consumer: 'worker-pin-requests',
    concurrency: init.concurrency,
    handler: async (request, context) => {
      const outcome = await processPinRequest({ ...components, logger: context.logger }, init, {
        requestId: request.requestId,
        signal: context.signal,
        working: context.working,
      })
      context.logger.debug({ requestId: request.requestId, outcome }, 'pin request handled')
    },
  })
}
