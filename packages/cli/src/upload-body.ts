import { createReadStream } from 'node:fs'
import { lstat, readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { randomBytes } from 'node:crypto'

/** One part of the upload: a file to stream or a directory (Kubo's `application/x-directory`). */
export interface UploadPart {
  /** Relative path sent as the part's filename (`dir/sub/file.txt`). */
  readonly path: string
  /** The file on disk; undefined for a directory. */
  readonly file: string | undefined
  /** Bytes of the file (0 for a directory). */
  readonly size: number
}

/** What the walk skipped, for the user to hear about. */
export interface Skipped {
  readonly path: string
  readonly why: 'hidden' | 'not a file or directory'
}

/**
 * The parts `ipfs add -r` would read for `paths`: each path's base name at the top, directories
 * walked depth-first in name order, hidden entries (a name starting with `.`) skipped unless
 * `hidden`, and symlinks, sockets and devices skipped (Kubo stores symlinks as UnixFS symlinks,
 * which a multipart upload cannot carry).
 *
 * @throws the file system's error for a path that cannot be read.
 */
export async function collectParts(
  paths: readonly string[],
  options: { hidden: boolean },
): Promise<{ parts: UploadPart[]; skipped: Skipped[] }> {
  const parts: UploadPart[] = []
  const skipped: Skipped[] = []
  async function visit(onDisk: string, relative: string, top: boolean): Promise<void> {
    const name = basename(onDisk)
    if (!top && !options.hidden && name.startsWith('.')) {
      skipped.push({ path: relative, why: 'hidden' })
      return
    }
    const info = await lstat(onDisk)
    if (info.isFile()) {
      parts.push({ path: relative, file: onDisk, size: info.size })
    } else if (info.isDirectory()) {
      parts.push({ path: relative, file: undefined, size: 0 })
      const names = (await readdir(onDisk)).sort()
      for (const child of names) await visit(join(onDisk, child), `${relative}/${child}`, false)
    } else {
      skipped.push({ path: relative, why: 'not a file or directory' })
    }
  }
  for (const path of paths) await visit(path, basename(path), true)
  return { parts, skipped }
}

/** A multipart/form-data body of `file` parts, streamed from disk, with its exact length. */
export function multipartBody(
  parts: readonly UploadPart[],
  onBytes: (count: number) => void = () => undefined,
): { contentType: string; length: number; body: AsyncIterable<Uint8Array> } {
  const boundary = `pinion-${randomBytes(16).toString('hex')}`
  const head = (part: UploadPart) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; ` +
        `filename*=utf-8''${encodeURIComponent(part.path)}\r\n` +
        `Content-Type: ${part.file === undefined ? 'application/x-directory' : 'application/octet-stream'}\r\n\r\n`,
    )
  const crlf = Buffer.from('\r\n')
  const tail = Buffer.from(`--${boundary}--\r\n`)
  const length =
    parts.reduce((sum, part) => sum + head(part).length + part.size + crlf.length, 0) + tail.length
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const part of parts) {
      yield head(part)
      if (part.file !== undefined) {
        for await (const chunk of createReadStream(part.file, { highWaterMark: 1024 * 1024 })) {
          onBytes((chunk as Buffer).length)
          yield chunk as Buffer
        }
      }
      yield crlf
    }
    yield tail
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, length, body: body() }
}
