import net from 'node:net'

/** Where a {@link TcpProxy} forwards to. */
export interface TcpTarget {
  host: string
  port: number
}

/**
 * How a cut proxy treats connections: `reset` closes them at once (like a stopped server or a
 * refused connection), `blackhole` accepts and then never answers (like a dead host or a
 * partitioned network), so only the client's own timeouts end them.
 */
export type CutMode = 'reset' | 'blackhole'

/** A TCP forwarder on 127.0.0.1 whose link to the target can be cut and restored (fault tests). */
export interface TcpProxy {
  /** The proxy's listening address. */
  readonly host: string
  readonly port: number
  /** Connections currently being forwarded. */
  readonly activeConnections: number
  /** `url` with its host and port replaced by the proxy's (e.g. a `postgresql://` URL). */
  rewriteUrl(url: string): string
  /** Drops every forwarded connection and treats new ones as `mode` says until {@link restore}. */
  cut(mode?: CutMode): void
  /** Forwards new connections again (held blackholed ones are closed). */
  restore(): void
  /** Stops listening and closes every connection. */
  close(): Promise<void>
}

/**
 * Starts a TCP proxy on a free port of 127.0.0.1 that forwards to `target`. Used to make Postgres
 * or NATS unreachable for one client without touching the shared server.
 *
 * @throws when the listener cannot be bound.
 */
export async function createTcpProxy(target: TcpTarget): Promise<TcpProxy> {
  const forwarded = new Set<net.Socket>()
  const held = new Set<net.Socket>()
  let cutMode: CutMode | undefined

  const destroyAll = (sockets: Set<net.Socket>) => {
    for (const socket of sockets) socket.destroy()
    sockets.clear()
  }

  const server = net.createServer((client) => {
    client.on('error', () => {})
    if (cutMode === 'reset') {
      client.resetAndDestroy()
      return
    }
    if (cutMode === 'blackhole') {
      held.add(client)
      client.on('close', () => held.delete(client))
      return
    }
    const upstream = net.connect(target.port, target.host)
    upstream.on('error', () => client.destroy())
    forwarded.add(client).add(upstream)
    const forget = () => {
      forwarded.delete(client)
      forwarded.delete(upstream)
      client.destroy()
      upstream.destroy()
    }
    client.on('close', forget)
    upstream.on('close', forget)
    client.pipe(upstream)
    upstream.pipe(client)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as net.AddressInfo

  return {
    host: '127.0.0.1',
    port,
    get activeConnections() {
      return forwarded.size / 2
    },
    rewriteUrl(url) {
      const parsed = new URL(url)
      parsed.hostname = '127.0.0.1'
      parsed.port = String(port)
      return parsed.toString()
    },
    cut(mode = 'reset') {
      cutMode = mode
      destroyAll(forwarded)
    },
    restore() {
      cutMode = undefined
      destroyAll(held)
    },
    async close() {
      destroyAll(forwarded)
      destroyAll(held)
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
