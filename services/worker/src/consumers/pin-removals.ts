import type { ConsumeLoop, Messaging, PinionTopology } from '@pinion/messaging'
import { unpinIfUnreferenced, type RemovalComponents } from '../domain/process-removal.js'

/** The `worker-pin-removals` consume loop: unpins a removed pin's CID once nothing references it. */
export function createPinRemovalConsumer(
  messaging: Pick<Messaging<PinionTopology>, 'consume'>,
  components: RemovalComponents,
  init: { concurrency: number },
): ConsumeLoop {
  return messaging.consume({
    consumer: 'worker-pin-removals',
    concurrency: init.concurrency,
    handler: async (removal, context) => {
      await unpinIfUnreferenced(
        { ...components, logger: context.logger },
        removal.cidKey,
        context.signal,
      )
    },
  })
}
