import type { Logger } from '@pinion/service-kit'
import type { ServerResponse } from 'node:http'
import type { GatewayResponse } from '../domain/response.js'

/** Bytes a response may hold in user space before waiting for the client: a few leaves. */
const maxBuffered = 1024 * 1024

/** What {@link sendResponse} wrote. */
export interface SentResponse {
  /** Body bytes written. */
  readonly sent: number
  /** All of the body when it was written in one piece (empty: no body); else undefined. */
  readonly whole: Uint8Array | undefined
}

const noBody = new Uint8Array(0)

/** Resolves when `res` can take more bytes, or when the client is gone. */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

/** Writes `chunk` and resolves once the socket is done with it (or the client is gone). */
function written(res: ServerResponse, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('close', done)
      resolve()
    }
    res.on('close', done)
    res.write(chunk, done)
  })
}

/**
 * Writes a gateway response with backpressure: the body is pulled one chunk at a time and only
 * when the socket has room, so memory stays flat whatever the size, and a client that goes away
 * stops the pulling (the body's `return()` runs, and the request's signal aborts its reads).
 *
 * Status and headers go out with the first chunk: an error before it (a missing first block)
 * still becomes a clean error response. An error after it can only cut the connection.
 *
 * Takes a plain `node:http` response, so the Express routes and the hot path share it; `log` is
 * called only when a stream is cut.
 *
 * @returns the body bytes written (for metering), and the whole body when it went out in one
 *   piece (empty when there is none), for the response cache.
 * @throws the body's error when nothing was sent yet.
 */
export async function sendResponse(
  res: ServerResponse,
  response: GatewayResponse,
  log: () => Logger,
): Promise<SentResponse> {
  const writeHead = () => {
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value)
    res.statusCode = response.status
  }
  if (response.body === undefined) {
    writeHead()
    res.end()
    return { sent: 0, whole: noBody }
  }
  if (response.bytes !== undefined) {
    // One chunk in memory: status, headers and body in one write, no stream to pull.
    writeHead()
    if (res.destroyed) return { sent: 0, whole: undefined }
    res.end(response.bytes)
    return { sent: response.bytes.length, whole: response.bytes }
  }
  const iterator = response.body()[Symbol.asyncIterator]()
  let sent = 0
  try {
    // Two chunks are read before the status line goes out: a body whose first or second block is
    // missing still becomes a clean error, and a one-chunk body (a small file) is one write.
    const current = await iterator.next()
    const following = current.done === true ? current : await iterator.next()
    writeHead()
    if (current.done === true) {
      res.end()
      return { sent: 0, whole: noBody }
    }
    if (res.destroyed) return { sent, whole: undefined }
    if (following.done === true) {
      res.end(current.value)
      return { sent: current.value.length, whole: current.value }
    }
    if (response.borrowed === true) {
      // Lent chunks (the first never is): each is written out before the next is asked for,
      // which reuses its buffer. The kernel's socket buffer keeps the client fed meanwhile.
      res.write(current.value)
      sent += current.value.length
      let lent: IteratorResult<Uint8Array> = following
      while (lent.done !== true) {
        if (res.destroyed) return { sent, whole: undefined }
        sent += lent.value.length
        await written(res, lent.value)
        lent = await iterator.next()
      }
      res.end()
      return { sent, whole: undefined }
    }
    // One chunk ahead, so the last one goes out with end().
    let chunk = current.value
    let next: IteratorResult<Uint8Array> = following
    while (next.done !== true) {
      if (res.destroyed) return { sent, whole: undefined }
      sent += chunk.length
      // Up to `maxBuffered` may wait in user space, so the socket never runs dry while the next
      // block is read; past that, wait for the client (backpressure).
      if (!res.write(chunk) && res.writableLength >= maxBuffered) await writable(res)
      chunk = next.value
      next = await iterator.next()
    }
    if (res.destroyed) return { sent, whole: undefined }
    sent += chunk.length
    res.end(chunk)
    return { sent, whole: undefined }
  } catch (error) {
    if (!res.headersSent) {
      for (const name of Object.keys(response.headers)) res.removeHeader(name)
      throw error
    }
    // The status line is gone: ending early is the only signal left (a truncated body).
    log().warn({ err: error, sent }, 'gateway response cut mid-stream')
    res.destroy()
    return { sent, whole: undefined }
  } finally {
    await iterator.return?.()
  }
}
