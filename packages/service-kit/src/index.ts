/**
 * The one bootstrap every Pinion service uses: zod config fragments, pino logging with request ids
 * and redaction, the error model and its single reason → status map, `/healthz` + `/readyz`,
 * Prometheus metrics, and graceful shutdown in order.
 *
 * @example
 * ```ts
 * // services/x/src/main.ts
 * await runMain({ name: 'x', loadConfig, buildDeps, createApp })
 * // services/x/src/app.ts
 * export const createApp = (deps: XDeps) =>
 *   createServiceApp(deps, { mount: (app) => app.use('/x/api/v1', thingsRouter(deps)) })
 * ```
 */
export {
  AppError,
  BadRequestError,
  NotFoundError,
  QuotaExceededError,
  ServiceUnavailableError,
  isAppError,
  permanentReasons,
  reasonStatus,
  type AppErrorOptions,
  type Reason,
} from './errors.js'
export { sendFailure, writeFailure, type FailureBody } from './error-body.js'
export {
  createErrorHandler,
  notFoundHandler,
  toAppError,
  type ErrorTranslator,
} from './error-handler.js'
export {
  ConfigError,
  envBoolean,
  envList,
  httpSchema,
  loadConfigOrExit,
  logSchema,
  parseConfig,
  type HttpConfig,
  type LogConfig,
} from './config.js'
export { createLogger, createRequestLogger, redactedPaths, type Logger } from './logger.js'
export { withFastRoutes, type FastRoute, type FastRouteContext } from './fast-routes.js'
export { createHealthRouter, type HealthCheck } from './health.js'
export { createMetrics, type Metrics } from './metrics.js'
export {
  periodicTask,
  startAll,
  stopAll,
  startable,
  type PeriodicTaskInit,
  type Startable,
} from './lifecycle.js'
export { createServiceState, type ServiceState } from './service-state.js'
export { createServiceDeps, type ServiceDeps } from './service-deps.js'
export { createMetricsApp, createServiceApp, type ServiceAppOptions } from './service-app.js'
export { runService, type RunServiceOptions, type RunningService } from './run-service.js'
export { runMain, installShutdownHandlers, type MainOptions } from './run-main.js'
