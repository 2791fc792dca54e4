import { useEffect, useRef } from 'react'
import type { PinStatusEvent } from '../api/types.js'

/**
 * Calls `onEvent` for each `event: status` of the user's pins (Server-Sent Events; EventSource
 * reconnects by itself after a dropped connection).
 */
export function usePinEvents(onEvent: (event: PinStatusEvent) => void): void {
  const handler = useRef(onEvent)
  useEffect(() => {
    handler.current = onEvent
  })
  useEffect(() => {
    const source = new EventSource('/api/account/pins/events', { withCredentials: true })
    const listener = (message: MessageEvent<string>) => {
      try {
        handler.current(JSON.parse(message.data) as PinStatusEvent)
      } catch {
        // A malformed event is skipped; the next page load shows the truth.
      }
    }
    source.addEventListener('status', listener)
    return () => {
      source.removeEventListener('status', listener)
      source.close()
    }
  }, [])
}
