import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import { carBytes, type TestBlock } from './fixtures.js'

/** How the test gateway misbehaves. */
export type GatewayMode =
  /** Serves CARs and raw blocks faithfully. */
  | 'ok'
  /** Flips a byte in every block it serves (CAR and raw). */
  | 'corrupt'
  /** Accepts requests and never answers. */
  | 'hang'
  /** Answers 406 to CAR requests; raw blocks only. */
  | 'raw-only'
  /** Serves faithfully after a 400 ms pause. */
  | 'slow'

export interface TestGateway {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** The same as a multiaddr origin: `/ip4/127.0.0.1/tcp/<port>/http`. */
  multiaddr: string
  /** Paths and Accept headers requested so far. */
  requests: { path: string; accept: string }[]
  close(): Promise<void>
}

function links(block: TestBlock): CID[] {
  if (block.cid.code === dagPb.code) return dagPb.decode(block.bytes).Links.map((link) => link.Hash)
  if (block.cid.code === dagCbor.code) {
    const found: CID[] = []
    const visit = (value: unknown): void => {
      const cid = CID.asCID(value)
      if (cid !== null) found.push(cid)
      else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
        Object.values(value).forEach(visit)
      }
    }
    visit(dagCbor.decode(block.bytes))
    return found
  }
  return []
}

function corrupt(block: TestBlock): TestBlock {
  const bytes = Uint8Array.from(block.bytes)
  bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff
  return { cid: block.cid, bytes }
}

/**
 * A tiny trustless gateway (`GET /ipfs/<cid>` as `application/vnd.ipld.car` with the DAG
 * depth-first, or `application/vnd.ipld.raw`) over a fixed set of blocks, on 127.0.0.1. It serves
 * whatever part of a DAG it holds, like a real gateway with partial content would.
 */
export async function startTestGateway(
  blocks: readonly TestBlock[],
  mode: GatewayMode = 'ok',
): Promise<TestGateway> {
  const keyOf = (cid: CID) => Buffer.from(cid.multihash.bytes).toString('base64')
  const byMultihash = new Map(blocks.map((block) => [keyOf(block.cid), block]))
  const find = (cid: CID) => byMultihash.get(keyOf(cid))
  const requests: TestGateway['requests'] = []

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const accept = request.headers.accept ?? ''
    const path = (request.url ?? '').split('?')[0] ?? ''
    requests.push({ path, accept })
    if (mode === 'hang') return
    if (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, 400))
    const match = /^\/ipfs\/([^/]+)$/.exec(path)
    const cid = match?.[1] === undefined ? undefined : CID.parse(match[1])
    const root = cid === undefined ? undefined : find(cid)
    if (root === undefined || cid === undefined) {
      response.writeHead(404).end('not found')
      return
    }
    const serve = (block: TestBlock) => (mode === 'corrupt' ? corrupt(block) : block)
    if (accept.includes('application/vnd.ipld.car')) {
      if (mode === 'raw-only') {
        response.writeHead(406).end('no CARs here')
        return
      }
      const ordered: TestBlock[] = []
      const seen = new Set<string>()
      const stack = [cid]
      while (stack.length > 0) {
        const next = stack.pop()
        const block = next === undefined ? undefined : find(next)
        if (block === undefined || seen.has(block.cid.toString())) continue
        seen.add(block.cid.toString())
        ordered.push({ cid: next ?? block.cid, bytes: block.bytes })
        stack.push(...links(block).reverse())
      }
      const body = await carBytes([cid], ordered.map(serve))
      response.writeHead(200, { 'content-type': 'application/vnd.ipld.car; version=1' }).end(body)
      return
    }
    response
      .writeHead(200, { 'content-type': 'application/vnd.ipld.raw' })
      .end(serve({ cid, bytes: root.bytes }).bytes)
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    multiaddr: `/ip4/127.0.0.1/tcp/${port}/http`,
    requests,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
