import { createServiceContext } from '@pinion/platform'
import type { Logger, ServiceDeps } from '@pinion/service-kit'
import type { Router } from 'express'
import type { Config } from './config.js'
import { services } from './services.js'

export interface AllInOneDeps extends ServiceDeps {
  readonly config: Config
  /** Each service's routes, in mount order. */
  readonly routers: readonly Router[]
}

/**
 * Builds every service on one shared platform: one database pool, one NATS connection, one
 * revocation list. Their startables (consumers, tagging jobs) join the shared list in mount order.
 */
export async function buildDeps(config: Config, logger: Logger): Promise<AllInOneDeps> {
  const context = createServiceContext('pinion', logger)
  const routers: Router[] = []
  for (const service of services) {
    const serviceConfig = config.services.get(service.name)
    routers.push(await service.mount(serviceConfig, context))
  }
  return { ...context.deps, config, routers }
}
