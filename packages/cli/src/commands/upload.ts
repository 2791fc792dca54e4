import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { SingleBar } from 'cli-progress'
import type { Command } from 'commander'
import { CliError, type CliIo } from '../io.js'
import { collectParts, multipartBody } from '../upload-body.js'

interface UploadOptions {
  url?: string
  token?: string
  name?: string
  car: boolean
  hidden: boolean
}

interface PinStatus {
  pin: { cid: string }
}

/** Sends `body` and resolves with the answer's status and parsed JSON. */
function send(
  url: URL,
  headers: Record<string, string>,
  body: AsyncIterable<Uint8Array>,
): Promise<{ status: number; json: unknown }> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res: IncomingMessage) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString()
        let json: unknown
        try {
          json = text === '' ? undefined : JSON.parse(text)
        } catch {
          json = text
        }
        resolve({ status: res.statusCode ?? 0, json })
      })
    })
    req.on('error', reject)
    void (async () => {
      for await (const chunk of body) {
        if (req.destroyed) return
        if (!req.write(chunk)) await new Promise((done) => req.once('drain', done))
      }
      req.end()
    })().catch((error: unknown) => req.destroy(error as Error))
  })
}

function failureMessage(status: number, json: unknown): string {
  const error = (json as { error?: { reason?: string; details?: string } } | undefined)?.error
  if (error?.reason !== undefined) {
    return `upload failed (${status} ${error.reason}${error.details ? `: ${error.details}` : ''})`
  }
  return `upload failed (HTTP ${status})`
}

/**
 * `pinion upload PATH…`: files and directories as one multipart upload (the CID `ipfs add -r
 * --cid-version=1` gives), or a CAR with `--car`, with a progress bar on a terminal. Prints the
 * root CID(s) on stdout.
 */
export function registerUpload(program: Command, io: CliIo): void {
  program
    .command('upload')
    .description('upload files, directories or a CAR to Pinion and pin them; prints the CID')
    .argument('<paths...>', 'files or directories (one CAR file with --car)')
    .option('--url <url>', 'Pinion base URL (default: $PINION_URL)')
    .option('--token <token>', 'API token with the upload scope (default: $PINION_TOKEN)')
    .option('--name <name>', 'name of the pin')
    .option('--car', 'send the file as a CAR archive (application/vnd.ipld.car)', false)
    .option('-H, --hidden', 'include hidden files (names starting with ".")', false)
    .action(async (paths: string[], options: UploadOptions) => {
      const base = options.url ?? io.env.PINION_URL
      const token = options.token ?? io.env.PINION_TOKEN
      if (base === undefined || base === '') throw new CliError('set PINION_URL or --url', 2)
      if (token === undefined || token === '') throw new CliError('set PINION_TOKEN or --token', 2)
      const url = new URL('upload/api/v1/', base.endsWith('/') ? base : `${base}/`)
      if (options.name !== undefined) url.searchParams.set('name', options.name)

      let body: AsyncIterable<Uint8Array>
      let contentType: string
      let length: number
      let payloadBytes: number
      const bar = io.progress === undefined ? undefined : new SingleBar({ stream: io.progress })
      const tick = (count: number) => bar?.increment(count)
      if (options.car) {
        const [car, ...rest] = paths
        if (car === undefined || rest.length > 0) throw new CliError('--car takes one file', 2)
        length = payloadBytes = (await stat(car)).size
        contentType = 'application/vnd.ipld.car'
        body = (async function* () {
          for await (const chunk of createReadStream(car, { highWaterMark: 1024 * 1024 })) {
            tick((chunk as Buffer).length)
            yield chunk as Buffer
          }
        })()
      } else {
        const { parts, skipped } = await collectParts(paths, { hidden: options.hidden })
        for (const skip of skipped) io.err(`skipped ${skip.path} (${skip.why})`)
        const multipart = multipartBody(parts, tick)
        ;({ body, contentType, length } = multipart)
        payloadBytes = parts.reduce((sum, part) => sum + part.size, 0)
      }
      bar?.start(payloadBytes, 0)
      let answer: { status: number; json: unknown }
      try {
        answer = await send(
          url,
          {
            authorization: `Bearer ${token}`,
            'content-type': contentType,
            'content-length': String(length),
          },
          body,
        )
      } finally {
        bar?.stop()
      }
      if (answer.status !== 202) throw new CliError(failureMessage(answer.status, answer.json))
      const statuses = (Array.isArray(answer.json) ? answer.json : [answer.json]) as PinStatus[]
      for (const status of statuses) io.out(status.pin.cid)
    })
}
