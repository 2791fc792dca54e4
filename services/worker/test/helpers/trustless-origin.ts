import { once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestBlock } from './content.js'

/** How the origin answers. */
export type OriginMode = 'ok' | 'corrupt' | 'hang'

/** An HTTP server in the test speaking the trustless gateway protocol, raw blocks only. */
export interface TrustlessOrigin {
  /** `http://127.0.0.1:<port>`, usable as a pin's origin. */
  readonly url: string
  /** Paths requested as raw blocks so far. */
  readonly rawRequests: string[]
  close(): Promise<void>
}

/**
 * Serves `blocks` at `/ipfs/<cid>` as `application/vnd.ipld.raw` (asked for with `?format=raw` or
 * the Accept header) and refuses CAR requests, so a fetch goes block by block. `corrupt` flips a
 * byte of every block; `hang` never answers.
 */
export async function startTrustlessOrigin(
  blocks: readonly TestBlock[],
  mode: OriginMode = 'ok',
): Promise<TrustlessOrigin> {
  const byCid = new Map(blocks.map((block) => [block.cid.toString(), block.bytes]))
  const rawRequests: string[] = []
  const hanging = new Set<ServerResponse>()
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://origin')
    const wantsRaw =
      url.searchParams.get('format') === 'raw' ||
      (request.headers.accept ?? '').includes('application/vnd.ipld.raw')
    if (mode === 'hang') {
      hanging.add(response)
      return
    }
    if (!wantsRaw) {
      response.writeHead(406, { 'content-type': 'text/plain' }).end('raw blocks only')
      return
    }
    rawRequests.push(url.pathname)
    const bytes = byCid.get(url.pathname.replace(/^\/ipfs\//, ''))
    if (bytes === undefined) {
      response.writeHead(404).end()
      return
    }
    const body = Buffer.from(bytes)
    if (mode === 'corrupt') body[0] = (body[0] ?? 0) ^ 0xff
    response.writeHead(200, { 'content-type': 'application/vnd.ipld.raw' }).end(body)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    rawRequests,
    async close() {
      for (const response of hanging) response.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
