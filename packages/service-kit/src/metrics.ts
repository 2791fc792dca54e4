import type { RequestHandler } from 'express'
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** A service's Prometheus registry plus the HTTP request histogram every service records. */
export interface Metrics {
  readonly registry: Registry
  readonly middleware: RequestHandler
  readonly handler: RequestHandler
  /**
   * Records one request in `http_request_duration_seconds`, for requests answered outside the
   * Express middleware (fast routes).
   */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void
  /**
   * True when /metrics is served on its own port (METRICS_PORT): runMain sets it before building
   * the app, and createServiceApp then leaves /metrics off the public app.
   */
  ownPort: boolean
}

/**
 * Creates a registry with Node's default metrics and `http_request_duration_seconds`. The `route`
 * label is the matched route pattern (never the raw URL, which would explode cardinality).
 */
export function createMetrics(service: string): Metrics {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  collectDefaultMetrics({ register: registry })
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, matched route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer()
    res.once('finish', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched'
      end({ method: req.method, route, status_code: String(res.statusCode) })
    })
    next()
  }
  const handler: RequestHandler = async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics())
  }
  const observeRequest = (method: string, route: string, statusCode: number, seconds: number) =>
    duration.observe({ method, route, status_code: String(statusCode) }, seconds)
  return { registry, middleware, handler, observeRequest, ownPort: false }
}
