import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RequestListener } from 'node:http'
import type { Logger } from 'pino'
import { startAll, stopAll, type Startable } from './lifecycle.js'
import type { ServiceState } from './service-state.js'

export interface RunServiceOptions {
  name: string
  port: number
  host: string
  logger: Logger
  app: RequestListener
  state: ServiceState
  startables: readonly Startable[]
  /** How long /readyz fails before the listener closes (lets load balancers notice). */
  readinessDelayMs?: number
  /** A second listener for metrics only (METRICS_PORT), on the same host; closed last. */
  metrics?: { port: number; app: RequestListener }
}

export interface RunningService {
  readonly server: Server
  /** `http://host:port` actually bound (useful with port 0). */
  readonly url: string
  /** `http://host:port` of the metrics listener, when there is one. */
  readonly metricsUrl?: string
  /**
   * Graceful shutdown in order: fail readiness → stop accepting and close idle keep-alives → wait
   * for in-flight requests → stop startables in reverse (consumers finish, NATS drains, DB closes).
   * Idempotent: every call returns the same promise.
   */
  shutdown(reason: string): Promise<void>
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(server.address() as AddressInfo)
    })
  })
}

function urlOf(address: AddressInfo): string {
  const host =
    address.address === '::' || address.address === '0.0.0.0' ? 'localhost' : address.address
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Starts the dependencies, then the HTTP listener; returns a handle whose shutdown undoes both. */
export async function runService(options: RunServiceOptions): Promise<RunningService> {
  const { logger } = options
  await startAll(options.startables, logger)
  const server = createServer(options.app)
  // Slow-loris protection and keep-alive below typical load balancer idle timeouts.
  server.headersTimeout = 30_000
  server.keepAliveTimeout = 5_000
  const url = urlOf(await listen(server, options.port, options.host))
  const metricsServer = options.metrics ? createServer(options.metrics.app) : undefined
  const metricsUrl =
    metricsServer && options.metrics
      ? urlOf(await listen(metricsServer, options.metrics.port, options.host))
      : undefined
  logger.info({ url, metricsUrl }, 'listening')

  let shuttingDown: Promise<void> | undefined
  const shutdown = (reason: string): Promise<void> => {
    shuttingDown ??= (async () => {
      logger.info({ reason }, 'shutting down')
      options.state.markShuttingDown()
      if (options.readinessDelayMs) await delay(options.readinessDelayMs)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      await closed
      await stopAll(options.startables, logger)
      if (metricsServer) {
        const metricsClosed = new Promise<void>((resolve) => metricsServer.close(() => resolve()))
        metricsServer.closeAllConnections()
        await metricsClosed
      }
      logger.info('shutdown complete')
    })()
    return shuttingDown
  }
  return { server, url, ...(metricsUrl ? { metricsUrl } : {}), shutdown }
}
