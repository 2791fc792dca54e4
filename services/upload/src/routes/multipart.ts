import type { IncomingHttpHeaders } from 'node:http'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { AppError, BadRequestError } from '@pinion/service-kit'
import type { ImportEntry } from '@pinion/unixfs'
import busboy, { type FileInfo } from 'busboy'
import { PayloadTooLargeError } from '../domain/errors.js'

/** The multipart field that carries files; other parts are read and ignored. */
export const FILE_FIELD = 'file'

/** Kubo's multipart convention for a directory part (it lets empty directories through). */
export const DIRECTORY_MIME_TYPE = 'application/x-directory'

type ParserEvent =
  | { type: 'file'; field: string; stream: Readable; info: FileInfo }
  | { type: 'error'; error: unknown }
  | { type: 'end' }

/** Events in arrival order for one reader; `next` waits for the next one. */
class EventQueue {
  readonly #events: ParserEvent[] = []
  #wake: (() => void) | undefined

  push(event: ParserEvent): void {
    this.#events.push(event)
    this.#wake?.()
    this.#wake = undefined
  }

  async next(): Promise<ParserEvent> {
    for (;;) {
      const event = this.#events.shift()
      if (event !== undefined) return event
      await new Promise<void>((resolve) => (this.#wake = resolve))
    }
  }
}

function badMultipart(error: unknown): unknown {
  if (error instanceof AppError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new BadRequestError(`Malformed multipart body: ${message}`, { cause: error })
}

/**
 * Reads a `multipart/form-data` body as UnixFS entries, streaming: each `file` part is yielded
 * with its bytes as a stream, and the parser moves on only once that stream has been read (so
 * memory stays flat and the client feels backpressure). A part's filename is its relative path
 * (`dir/sub/a.txt`, as browsers send for folder uploads and `curl -F 'file=@a;filename=d/a'`);
 * a part of type `application/x-directory` is a directory. Filenames are read as UTF-8.
 *
 * @throws BadRequestError for a malformed body or a file part without a filename;
 *   PayloadTooLargeError for more than `maxFiles` parts; whatever `body` throws (limits).
 */
export function multipartEntries(
  headers: IncomingHttpHeaders,
  maxFiles: number,
): (body: AsyncIterable<Uint8Array>) => AsyncIterable<ImportEntry> {
  return async function* entries(body) {
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers,
        preservePath: true,
        defParamCharset: 'utf8',
        limits: { files: maxFiles, fields: 1000, fieldSize: 64 * 1024, parts: maxFiles + 1000 },
      })
    } catch (error) {
      throw badMultipart(error)
    }
    const events = new EventQueue()
    const tooMany = () =>
      events.push({
        type: 'error',
        error: new PayloadTooLargeError(`More than ${maxFiles} parts in one multipart request`),
      })
    parser.on('file', (field, stream, info) => events.push({ type: 'file', field, stream, info }))
    parser.on('filesLimit', tooMany)
    parser.on('partsLimit', tooMany)
    const source = Readable.from(body, { objectMode: false })
    // pipeline destroys the parser (and with it the part being read) when the body fails, so a
    // limit error reaches whoever is reading that part. Its outcome, not the parser's 'close'
    // (which a failure emits too), is what ends the entries.
    pipeline(source, parser).then(
      () => events.push({ type: 'end' }),
      (error: unknown) => events.push({ type: 'error', error: badMultipart(error) }),
    )
    try {
      for (;;) {
        const event = await events.next()
        if (event.type === 'end') return
        if (event.type === 'error') throw event.error
        const { field, stream, info } = event
        if (field !== FILE_FIELD) {
          stream.resume()
          continue
        }
        const path = info.filename
        if (path === undefined || path === '') {
          stream.resume()
          throw new BadRequestError(`A "${FILE_FIELD}" part needs a filename`)
        }
        if (info.mimeType === DIRECTORY_MIME_TYPE) {
          stream.resume()
          yield { path }
          continue
        }
        yield { path, content: stream }
        // A reader that stopped early must not leave the parser waiting on this part.
        if (!stream.readableEnded) stream.resume()
      }
    } finally {
      source.destroy()
      parser.destroy()
    }
  }
}
