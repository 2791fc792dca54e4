import {
  publishPinRemoved,
  publishPinRequested,
  type Messaging,
  type PinionTopology,
} from '@pinion/messaging'
import type { PinRecord } from '../domain/pin-records.js'
import type { PublishStatus } from '../domain/status-events.js'
import type { PublishRemoval, PublishRequest } from '../domain/sweep.js'

/** The worker's publishes on JetStream, each with a message id that makes a repeat a duplicate. */
export interface PinMessages {
  publishStatus: PublishStatus
  publishRequest: PublishRequest
  publishRemoval: PublishRemoval
}

export function createPinMessages(
  messaging: Pick<Messaging<PinionTopology>, 'publish'>,
): PinMessages {
  return {
    async publishStatus(pin: PinRecord) {
      await messaging.publish(
        'pinion.pins.status',
        {
          requestId: pin.id,
          userId: pin.userId,
          status: pin.status,
          cid: pin.cid,
          ...(pin.dagSize === null ? {} : { dagSize: pin.dagSize }),
          ...(pin.info === null ? {} : { info: { ...pin.info } }),
          at: new Date().toISOString(),
        },
        // One event per status of a request: a worker that repeats it after a crash is deduplicated.
        { msgId: `status-${pin.id}-${pin.status}` },
      )
    },
    publishRequest: (pin, attempt) => publishPinRequested(messaging, pin, attempt),
    publishRemoval: (pin) => publishPinRemoved(messaging, pin),
  }
}
