import { retryLater } from '@pinion/messaging'
import type { AttachedMessaging } from '@pinion/platform'
import type { Startable } from '@pinion/service-kit'
import type { PinStatusChange, PinStatusOutcome } from '../domain/pin-status-handler.js'

/**
 * The `github-bot-pin-status` consumer: the worker's pin statuses become commit statuses. A
 * github pin whose link row is not visible yet is retried a second later.
 */
export function createPinStatusConsumer(components: {
  messaging: AttachedMessaging['messaging']
  onPinStatus: (change: PinStatusChange) => Promise<PinStatusOutcome>
}): Startable {
  return components.messaging.consume({
    consumer: 'github-bot-pin-status',
    concurrency: 2,
    handler: async (change) => {
      const outcome = await components.onPinStatus(change)
      return outcome === 'link-pending' ? retryLater(1000) : undefined
    },
  })
}
