import type { PinStatusChanged } from '@pinion/messaging'
import type { AttachedMessaging } from '@pinion/platform'
import type { Startable } from '@pinion/service-kit'

/** What the web app receives for each status change of one of its user's pins. */
export interface PinEvent {
  requestid: string
  status: PinStatusChanged['status']
  cid: string
  dagSize?: number
  info?: Record<string, string>
}

/** Fans `pinion.pins.status` out to the open event streams of each user. */
export interface PinEventHub extends Startable {
  /** Calls `send` for each of the user's pin events until the returned function is called. */
  subscribe(userId: string, send: (event: PinEvent) => void): () => void
  /** Open subscriptions (for tests and metrics). */
  readonly size: number
}

/**
 * One listener per process (every dashboard replica sees every status message) and an in-memory
 * map of subscribers by user, so a thousand open pages cost one NATS consumer, not a thousand.
 */
export function createPinEventHub(messaging: AttachedMessaging['messaging']): PinEventHub {
  const subscribers = new Map<string, Set<(event: PinEvent) => void>>()
  let count = 0
  const listener = messaging.listen({
    subject: 'pinion.pins.status',
    handler: (change) => {
      const listeners = subscribers.get(change.userId)
      if (listeners === undefined) return
      const event: PinEvent = {
        requestid: change.requestId,
        status: change.status,
        cid: change.cid,
        ...(change.dagSize === undefined ? {} : { dagSize: change.dagSize }),
        ...(change.info === undefined ? {} : { info: change.info }),
      }
      for (const send of listeners) send(event)
    },
  })
  return {
    name: 'pin-event-hub',
    start: () => listener.start(),
    stop: () => listener.stop(),
    get size() {
      return count
    },
    subscribe(userId, send) {
      let listeners = subscribers.get(userId)
      if (listeners === undefined) {
        listeners = new Set()
        subscribers.set(userId, listeners)
      }
      listeners.add(send)
      count += 1
      return () => {
        if (!listeners.delete(send)) return
        count -= 1
        if (listeners.size === 0) subscribers.delete(userId)
      }
    },
  }
}
