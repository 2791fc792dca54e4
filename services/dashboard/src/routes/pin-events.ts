import { Router } from 'express'
import type { PinEventHub } from '../domain/pin-events.js'
import { userIdOf } from './tokens.js'

/** A comment line every so often keeps proxies from closing an idle stream. */
const heartbeatMs = 25_000

/**
 * `GET /pins/events`: Server-Sent Events, `event: status` with the PinEvent as data, for the
 * signed-in user's pins only, until the browser closes the page.
 */
export function pinEventsRouter(hub: PinEventHub): Router {
  const router = Router()
  router.get('/pins/events', (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx (the usual Ingress) buffers responses unless told not to.
      'x-accel-buffering': 'no',
    })
    res.write(': connected\n\n')
    const unsubscribe = hub.subscribe(userIdOf(req), (event) => {
      res.write(`event: status\ndata: ${JSON.stringify(event)}\n\n`)
    })
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs)
    res.on('close', () => {
      clearInterval(heartbeat)
      unsubscribe()
    })
  })
  return router
}
