import { request } from 'node:http'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CarReader, CarWriter } from '@ipld/car'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'

/** What an upload answered. */
export interface UploadAnswer {
  status: number
  body: unknown
  /** Body bytes the client had sent when the answer came (streamed bodies). */
  sent: number
}

/**
 * POSTs `body` with Node's http client, streaming it chunk by chunk with backpressure, and reads
 * the answer even when the server answers before the body is done (as on 413).
 */
export function post(
  url: string,
  headers: Record<string, string>,
  body: AsyncIterable<Uint8Array> | Uint8Array,
): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    let sent = 0
    let settled = false
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        settled = true
        const text = Buffer.concat(chunks).toString()
        resolve({
          status: res.statusCode ?? 0,
          body: text === '' ? undefined : JSON.parse(text),
          sent,
        })
        req.destroy()
      })
    })
    req.on('error', (error) => {
      if (!settled) reject(error)
    })
    void (async () => {
      if (body instanceof Uint8Array) {
        sent = body.length
        req.end(body)
        return
      }
      for await (const chunk of body) {
        if (settled || req.destroyed) return
        sent += chunk.length
        if (!req.write(chunk)) {
          await new Promise<void>((done) => {
            req.once('drain', done)
            req.once('close', done)
          })
        }
      }
      if (!req.destroyed) req.end()
    })().catch((error: unknown) => {
      if (!settled) reject(error)
    })
  })
}

/** `size` bytes of a repeating pattern, in chunks of `chunk` bytes, generated on the fly. */
export async function* generated(size: number, chunk = 1024 * 1024): AsyncGenerator<Uint8Array> {
  const block = Buffer.alloc(chunk)
  for (let i = 0; i < chunk; i++) block[i] = (i * 31 + 7) & 0xff
  for (let left = size; left > 0; left -= chunk) {
    // A fresh copy each time: the http client may still hold the previous chunk.
    yield Buffer.from(block.subarray(0, Math.min(chunk, left)))
  }
}

/** A multipart/form-data body of `file` parts, as browsers and curl send it. */
export function multipart(
  parts: { filename: string; content: string | Uint8Array; type?: string }[],
  boundary = '----pinion-test-boundary',
): { headers: Record<string, string>; body: Uint8Array } {
  const chunks: Buffer[] = []
  for (const part of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${part.filename}"\r\n` +
          `Content-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.from(part.content),
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Buffer.concat(chunks),
  }
}

const fixtureRoot = fileURLToPath(new URL('../fixtures/gateway-conformance/', import.meta.url))

/** Every gateway-conformance CAR fixture: path, bytes and header roots. */
export async function conformanceCars(): Promise<
  { name: string; bytes: Uint8Array; roots: CID[] }[]
> {
  const files = (await readdir(fixtureRoot, { recursive: true })).filter((f) => f.endsWith('.car'))
  return Promise.all(
    files.sort().map(async (file) => {
      const bytes = await readFile(join(fixtureRoot, file))
      const reader = await CarReader.fromBytes(bytes)
      return { name: relative('.', file), bytes, roots: await reader.getRoots() }
    }),
  )
}

/** A CARv1 of `blocks` under `roots`, encoded with @ipld/car (independent of the service). */
export async function carOf(
  roots: CID[],
  blocks: { cid: CID; bytes: Uint8Array }[],
): Promise<Uint8Array> {
  const { writer, out } = CarWriter.create(roots)
  const chunks: Uint8Array[] = []
  const collected = (async () => {
    for await (const chunk of out) chunks.push(chunk)
  })()
  for (const block of blocks) await writer.put(block)
  await writer.close()
  await collected
  return Buffer.concat(chunks)
}

function varint(value: number): Uint8Array {
  const bytes: number[] = []
  for (let rest = value; ; rest = Math.floor(rest / 128)) {
    if (rest < 128) {
      bytes.push(rest)
      return Uint8Array.from(bytes)
    }
    bytes.push((rest % 128) | 0x80)
  }
}

/** A valid CARv1 of `count` distinct raw blocks of `size` bytes, generated on the fly. */
export async function* carStream(count: number, size: number): AsyncGenerator<Uint8Array> {
  const blocks = async function* () {
    for (let i = 0; i < count; i++) {
      const bytes = Buffer.alloc(size, i % 256)
      bytes.writeUInt32BE(i, 0)
      yield { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
    }
  }
  let first = true
  for await (const block of blocks()) {
    if (first) {
      yield await carOf([block.cid], [])
      first = false
    }
    yield Buffer.concat([
      varint(block.cid.bytes.length + block.bytes.length),
      block.cid.bytes,
      block.bytes,
    ])
  }
}
