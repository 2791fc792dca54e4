import type { RequestListener } from 'node:http'
import type { HttpConfig, LogConfig } from './config.js'
import { createLogger, type Logger } from './logger.js'
import { runService, type RunningService } from './run-service.js'
import { createMetricsApp } from './service-app.js'
import type { ServiceDeps } from './service-deps.js'

export interface MainOptions<C extends HttpConfig & LogConfig, D extends ServiceDeps> {
  name: string
  /** Parses the environment; exits 1 listing every problem (see loadConfigOrExit). */
  loadConfig(): C
  buildDeps(config: C, logger: Logger): Promise<D> | D
  /** The Express app, or it behind fast routes ({@link withFastRoutes}). */
  createApp(deps: D): RequestListener
}

/**
 * The whole of a service's `main.ts`: config → logger → deps → app → listen, with SIGTERM/SIGINT
 * handled once, a hard deadline that forces exit 1, and unhandled rejections taking the same path.
 */
export async function runMain<C extends HttpConfig & LogConfig, D extends ServiceDeps>(
  options: MainOptions<C, D>,
): Promise<RunningService> {
  const config = options.loadConfig()
  const logger = createLogger({ service: options.name, level: config.LOG_LEVEL })
  const deps = await options.buildDeps(config, logger)
  const metricsPort = config.METRICS_PORT
  // Before createApp, which then leaves /metrics off the public app.
  if (metricsPort !== undefined) deps.metrics.ownPort = true
  const running = await runService({
    name: options.name,
    port: config.PORT,
    host: config.HOST,
    logger,
    app: options.createApp(deps),
    state: deps.state,
    startables: deps.startables,
    readinessDelayMs: config.SHUTDOWN_READINESS_DELAY_MS,
    ...(metricsPort === undefined
      ? {}
      : { metrics: { port: metricsPort, app: createMetricsApp(deps) } }),
  })
  installShutdownHandlers(running, logger, config.SHUTDOWN_TIMEOUT_MS)
  return running
}

/** SIGTERM/SIGINT/fatal errors → graceful shutdown, exit 0 (or 1 after a fatal error or deadline). */
export function installShutdownHandlers(
  running: Pick<RunningService, 'shutdown'>,
  logger: Logger,
  timeoutMs: number,
): void {
  let exitCode = 0
  const stop = (reason: string) => {
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown deadline exceeded; forcing exit')
      process.exit(1)
    }, timeoutMs)
    // Deliberately not unref'd: if shutdown stalls on a promise that holds no handle, the event loop
    // would otherwise empty and exit 0 as if everything had been flushed.
    void deadline
    running.shutdown(reason).then(
      () => process.exit(exitCode),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
  const fatal = (error: unknown) => {
    logger.fatal({ err: error }, 'fatal error')
    exitCode = 1
    stop('fatal error')
  }
  process.once('unhandledRejection', fatal)
  process.once('uncaughtException', fatal)
}
