import type { Logger } from 'pino'
import type { HealthCheck } from './health.js'
import type { Startable } from './lifecycle.js'
import { createMetrics, type Metrics } from './metrics.js'
import { createServiceState, type ServiceState } from './service-state.js'
import type { ErrorTranslator } from './error-handler.js'

/**
 * What every service's dependency object carries besides its own clients. A service's `deps.ts`
 * returns `ServiceDeps & { …its clients… }`; `createApp` and `runService` read these fields.
 */
export interface ServiceDeps {
  readonly logger: Logger
  readonly metrics: Metrics
  readonly state: ServiceState
  /** Long-lived dependencies in start order. */
  readonly startables: Startable[]
  /** Checks /readyz runs (database, NATS, …). */
  readonly readinessChecks: HealthCheck[]
  /** Maps dependency errors (e.g. database unreachable) to AppErrors in the error middleware. */
  readonly errorTranslators: ErrorTranslator[]
}

/** The common part of a service's deps, to be extended with its own clients. */
export function createServiceDeps(service: string, logger: Logger): ServiceDeps {
  return {
    logger,
    metrics: createMetrics(service),
    state: createServiceState(),
    startables: [],
    readinessChecks: [],
    errorTranslators: [],
  }
}
