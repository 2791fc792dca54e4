import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { AppError } from '@pinion/service-kit'

/** A download larger than `GITHUB_MAX_DOWNLOAD_BYTES`. */
export class DownloadTooLargeError extends AppError {
  constructor(what: string, limit: number) {
    super('PAYLOAD_TOO_LARGE', { details: `${what} is larger than the ${limit}-byte limit` })
  }
}

/** A download whose bytes do not hash to the digest GitHub published for it. */
export class DigestMismatchError extends AppError {
  constructor(what: string) {
    super('UNPROCESSABLE_ENTITY', { details: `${what} does not match its sha256 digest` })
  }
}

/**
 * Passes `source` through, failing once more than `limit` bytes went by, and checks a
 * `sha256:<hex>` digest at the end when one is given.
 */
export async function* limitDownload(
  source: AsyncIterable<Uint8Array>,
  options: { what: string; limit: number; digest?: string | null | undefined },
): AsyncGenerator<Uint8Array> {
  const expected = options.digest?.startsWith('sha256:') ? options.digest.slice(7) : undefined
  const hash = expected === undefined ? undefined : createHash('sha256')
  let bytes = 0
  for await (const chunk of source) {
    bytes += chunk.length
    if (bytes > options.limit) throw new DownloadTooLargeError(options.what, options.limit)
    hash?.update(chunk)
    yield chunk
  }
  if (hash !== undefined && hash.digest('hex') !== expected) {
    throw new DigestMismatchError(options.what)
  }
}

/** Streams a download into `file`, within the size limit. */
export async function downloadToFile(
  file: string,
  body: AsyncIterable<Uint8Array>,
  options: { what: string; limit: number; signal: AbortSignal },
): Promise<void> {
  await pipeline(Readable.from(limitDownload(body, options)), createWriteStream(file), {
    signal: options.signal,
  })
}
