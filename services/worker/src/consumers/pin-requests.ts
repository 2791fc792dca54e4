import type { ConsumeLoop, Messaging, PinionTopology } from '@pinion/messaging'
import {
  processPinRequest,
  type PinOutcome,
  type PinRequestComponents,
  type PinRequestInit,
} from '../domain/process-pin-request.js'
import type { WorkerMetrics } from '../worker-metrics.js'

/**
 * The `worker-pin-requests` consume loop: each request runs through {@link processPinRequest};
 * returning acks it, a throw (a dependency down) naks it with the consumer's backoff. A request
 * given up after its last delivery stays queued/pinning in Postgres, where the sweeper publishes
 * it again or fails it at its deadline, so no pin is left waiting forever.
 */
export function createPinRequestConsumer(
  messaging: Pick<Messaging<PinionTopology>, 'consume'>,
  components: PinRequestComponents,
  init: PinRequestInit & { concurrency: number; metrics?: Pick<WorkerMetrics, 'pinHandled'> },
): ConsumeLoop {
  return messaging.consume({
    consumer: 'worker-pin-requests',
    concurrency: init.concurrency,
    handler: async (request, context) => {
      let outcome: PinOutcome
      try {
        outcome = await processPinRequest({ ...components, logger: context.logger }, init, {
          requestId: request.requestId,
          signal: context.signal,
          working: context.working,
        })
      } catch (error) {
        init.metrics?.pinHandled('retry')
        throw error
      }
      init.metrics?.pinHandled(outcome)
      context.logger.debug({ requestId: request.requestId, outcome }, 'pin request handled')
    },
  })
}
