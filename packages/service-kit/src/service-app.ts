import express, { type Express } from 'express'
import { createErrorHandler, notFoundHandler } from './error-handler.js'
import { createHealthRouter } from './health.js'
import { createRequestLogger } from './logger.js'
import type { ServiceDeps } from './service-deps.js'

export interface ServiceAppOptions {
  /** Registers the service's routers; called after the standard middleware, before the 404. */
  mount(app: Express): void
  /** Reverse-proxy hops to trust for the client address and protocol (Ingress = 1). */
  trustProxyHops?: number
}

/**
 * Builds an Express app with the standard middleware in the standard order: request id + logging,
 * metrics, `/healthz` `/readyz` `/metrics` (unless metrics have their own port), the service's
 * routes, a JSON 404, and the error middleware. It never listens and never reads the environment.
 */
export function createServiceApp(deps: ServiceDeps, options: ServiceAppOptions): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', options.trustProxyHops ?? 0)
  // Strict query parsing would turn `meta[key]=v` into objects everywhere; routes that want the
  // extended form (the Pinning API's meta filter) parse req.query themselves.
  app.set('query parser', 'extended')
  app.use(createRequestLogger(deps.logger))
  app.use(deps.metrics.middleware)
  app.use(createHealthRouter({ checks: deps.readinessChecks, state: deps.state }))
  if (!deps.metrics.ownPort) app.get('/metrics', deps.metrics.handler)
  options.mount(app)
  app.use(notFoundHandler)
  app.use(createErrorHandler({ logger: deps.logger, translators: deps.errorTranslators }))
  return app
}

/**
 * The listener of METRICS_PORT: `/metrics` and a JSON 404, nothing else, so a port that only
 * Prometheus reaches carries no application route (and the public one no metrics).
 */
export function createMetricsApp(deps: Pick<ServiceDeps, 'metrics'>): Express {
  const app = express()
  app.disable('x-powered-by')
  app.get('/metrics', deps.metrics.handler)
  app.use(notFoundHandler)
  return app
}
