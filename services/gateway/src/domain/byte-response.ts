import { randomBytes } from 'node:crypto'
import { ifRangeAllows } from './etag.js'
import type { FileRange } from './file-reader.js'
import { parseRange, type ByteRange } from './ranges.js'
import type { GatewayRequest } from './request.js'
import { bytesBody, peekStream, type GatewayResponse } from './response.js'
import { sniffLength } from './sniff.js'

/** Something served as bytes with ranges: a UnixFS file or a block. */
export interface RangedContent {
  /** Bytes in all. */
  readonly size: number
  /** Reads `[start, end)` lazily. */
  read(range: FileRange): AsyncIterable<Uint8Array>
  /** A fixed Content-Type, or how to sniff one from the first bytes sent. */
  readonly contentType: string | ((head: Uint8Array, complete: boolean) => string)
  /**
   * All of the bytes, when they are in memory already (a raw block): sniffed and sent without
   * a stream, the common case of small files.
   */
  readonly bytes?: Uint8Array | undefined
  /**
   * `read` lends its chunks (each valid until the next is asked for): the response says so to
   * its writer (`GatewayResponse.borrowed`).
   */
  readonly borrowed?: boolean | undefined
}

/** What {@link rangedResponse} needs from the request. */
export interface RangedRequest {
  readonly method: 'GET' | 'HEAD'
  readonly range: string | undefined
  readonly ifRange: string | undefined
}

/** The parts of a gateway request that ranges depend on. */
export function rangedRequestOf(request: GatewayRequest): RangedRequest {
  return {
    method: request.method,
    range: request.headers.range,
    ifRange: request.headers['if-range'],
  }
}

/** Bytes already in memory (a block, a symlink's target) under a fixed Content-Type. */
export function inMemoryContent(bytes: Uint8Array, contentType: string): RangedContent {
  return {
    size: bytes.length,
    read: (range) => bytesBody(bytes.subarray(range.start, range.end))(),
    contentType,
    bytes,
  }
}

async function typed(
  content: RangedContent,
  method: RangedRequest['method'],
  range: ByteRange,
): Promise<{
  contentType: string
  body: (() => AsyncIterable<Uint8Array>) | undefined
  bytes?: Uint8Array | undefined
}> {
  const stream = () => content.read({ start: range.start, end: range.end + 1 })
  const { contentType, bytes } = content
  if (bytes !== undefined) {
    const sent = bytes.subarray(range.start, range.end + 1)
    const whole = range.start === 0 && range.end === content.size - 1
    const type =
      typeof contentType === 'string'
        ? contentType
        : contentType(sent.subarray(0, sniffLength), whole)
    if (method === 'HEAD') return { contentType: type, body: undefined }
    return { contentType: type, body: bytesBody(sent), bytes: sent }
  }
  if (typeof contentType === 'string')
    return { contentType, body: method === 'HEAD' ? undefined : stream }
  // Sniff from the bytes being sent (boxo does the same for ranges not starting at 0), reading
  // them once: HEAD reads only the first leaf, GET sends what was peeked.
  const peeked = await peekStream(stream(), sniffLength, range.end - range.start + 1)
  const whole = range.start === 0 && range.end === content.size - 1
  const type = contentType(peeked.head, whole && peeked.complete)
  if (method === 'HEAD') {
    await peeked.close()
    return { contentType: type, body: undefined }
  }
  return { contentType: type, body: peeked.body }
}

function multipartBody(
  content: RangedContent,
  ranges: readonly ByteRange[],
  partHeaders: readonly string[],
  first: () => AsyncIterable<Uint8Array>,
  boundary: string,
): () => AsyncIterable<Uint8Array> {
  return async function* () {
    const encoder = new TextEncoder()
    for (const [index, range] of ranges.entries()) {
      yield encoder.encode(partHeaders[index])
      yield* index === 0 ? first() : content.read({ start: range.start, end: range.end + 1 })
    }
    yield encoder.encode(`\r\n--${boundary}--\r\n`)
  }
}

/**
 * Serves bytes honouring `Range` (RFC 9110 §14): 200 with everything, 206 with one range
 * (`Content-Range`), or 206 `multipart/byteranges` for several; `If-Range` other than the strong
 * ETag falls back to 200. Content-Length is always exact. HEAD answers the same headers without
 * reading past the first bytes.
 *
 * @throws GatewayRequestError (400) / RangeNotSatisfiableError (416) from the Range header; the
 *   first read's errors (a missing first block) before anything is sent.
 */
export async function rangedResponse(
  request: RangedRequest,
  content: RangedContent,
  etag: string,
  headers: Record<string, string>,
): Promise<GatewayResponse> {
  const { size } = content
  const ranges = ifRangeAllows(request.ifRange, etag) ? parseRange(request.range, size) : undefined
  const common = { ...headers, ETag: etag, 'Accept-Ranges': 'bytes' }
  if (ranges === undefined || ranges.length === 1) {
    const range = ranges?.[0] ?? { start: 0, end: size - 1 }
    const { contentType, body, bytes } =
      size === 0
        ? { contentType: 'text/plain', body: undefined, bytes: undefined }
        : await typed(content, request.method, range)
    const length = size === 0 ? 0 : range.end - range.start + 1
    return {
      status: ranges === undefined ? 200 : 206,
      headers: {
        ...common,
        'Content-Type': contentType,
        'Content-Length': String(length),
        ...(ranges === undefined
          ? {}
          : { 'Content-Range': `bytes ${range.start}-${range.end}/${size}` }),
      },
      body,
      bytes,
      borrowed: bytes === undefined && content.borrowed,
    }
  }
  const first = ranges[0] as ByteRange
  const { contentType, body } = await typed(content, request.method, first)
  const boundary = randomBytes(16).toString('hex')
  const partHeaders = ranges.map(
    (range, index) =>
      `${index === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${contentType}\r\nContent-Range: bytes ${range.start}-${range.end}/${size}\r\n\r\n`,
  )
  const closing = `\r\n--${boundary}--\r\n`
  const length =
    partHeaders.reduce((sum, part) => sum + Buffer.byteLength(part), 0) +
    ranges.reduce((sum, range) => sum + range.end - range.start + 1, 0) +
    closing.length
  return {
    status: 206,
    headers: {
      ...common,
      'Content-Type': `multipart/byteranges; boundary=${boundary}`,
      'Content-Length': String(length),
    },
    body:
      body === undefined ? undefined : multipartBody(content, ranges, partHeaders, body, boundary),
    borrowed: content.borrowed,
  }
}
