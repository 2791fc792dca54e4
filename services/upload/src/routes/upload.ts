import type { IncomingMessage } from 'node:http'
import type { Request, RequestHandler, Response } from 'express'
import { z } from 'zod'
import { ClientAbortedError, UnsupportedMediaTypeError } from '../domain/errors.js'
import type { UploadContent, Uploader } from '../domain/uploader.js'
import { multipartEntries } from './multipart.js'

/** `?name=` labels the pin; `?format=car` reads any body as a CAR. */
const UploadQuerySchema = z.object({
  name: z.string().min(1).max(255).optional(),
  format: z.literal('car').optional(),
})

const CAR_TYPE = 'application/vnd.ipld.car'

/** The content types upload reads, by what they become. */
export const uploadMediaTypes = {
  'multipart/form-data': 'files',
  'application/octet-stream': 'file',
  [CAR_TYPE]: 'car',
} as const satisfies Record<string, UploadContent['kind']>

/**
 * How to read a body: by `?format=car`, else by its media type (parameters ignored).
 *
 * @throws UnsupportedMediaTypeError for any other (or a missing) Content-Type.
 */
export function contentKind(
  contentType: string | undefined,
  format: 'car' | undefined,
): UploadContent['kind'] {
  if (format === 'car') return 'car'
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  const kind = (uploadMediaTypes as Record<string, UploadContent['kind'] | undefined>)[mediaType]
  if (kind !== undefined) return kind
  throw new UnsupportedMediaTypeError(
    `Send multipart/form-data (field "file"), application/octet-stream or ${CAR_TYPE} ` +
      `(or ?format=car), not ${mediaType === '' ? 'no Content-Type' : mediaType}`,
  )
}

function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length']
  if (header === undefined || !/^\d+$/.test(header)) return undefined
  return Number(header)
}

/** A signal that aborts when the client goes away before the answer was sent. */
function clientGone(res: Response): AbortSignal {
  const controller = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new ClientAbortedError())
  })
  return controller.signal
}

/**
 * After a failure the rest of the body is not wanted: stop reading it and close the connection
 * once the error is sent, rather than draining what could be gigabytes.
 */
function stopReading(req: Request, res: Response): void {
  if (req.complete) return
  req.pause()
  if (!res.headersSent) res.setHeader('Connection', 'close')
}

/**
 * `POST` handler shared by the API and web routes: parse the query and the content type, stream
 * the body through the uploader, answer 202 with the PinStatus (or one per CAR root).
 *
 * @param userIdOf who the request acts for (from the bearer token or the session).
 */
export function uploadHandler(
  uploader: Uploader,
  options: { maxFiles: number; userIdOf: (req: Request) => string },
): RequestHandler {
  return async (req, res) => {
    // Socket errors reach the body's reader; this keeps a late one from being unhandled.
    req.on('error', () => undefined)
    try {
      const query = UploadQuerySchema.parse(req.query)
      const kind = contentKind(req.headers['content-type'], query.format)
      const body: AsyncIterable<Uint8Array> = req
      const content: UploadContent =
        kind === 'files'
          ? { kind, body, entries: multipartEntries(req.headers, options.maxFiles) }
          : { kind, body }
      const result = await uploader.upload({
        userId: options.userIdOf(req),
        name: query.name,
        declaredBytes: declaredLength(req),
        content,
        signal: clientGone(res),
      })
      res.status(202).json(result)
    } catch (error) {
      stopReading(req, res)
      throw error
    }
  }
}
