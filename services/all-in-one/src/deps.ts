import { createServiceContext } from '@pinion/platform'
import type { FastRoute, Logger, ServiceDeps } from '@pinion/service-kit'
import type { Router } from 'express'
import type { Config } from './config.js'
import { services } from './services.js'

export interface AllInOneDeps extends ServiceDeps {
  readonly config: Config
  /** Each service's routes, in mount order. */
  readonly routers: readonly Router[]
  /** Hot paths the services answer in front of Express (the gateway's token reads). */
  readonly fastRoutes: readonly FastRoute[]
}

/**
 * Builds every service on one shared platform: one database pool, one NATS connection, one
 * revocation list. Their startables (consumers, tagging jobs) join the shared list in mount order.
 */
export async function buildDeps(config: Config, logger: Logger): Promise<AllInOneDeps> {
  const context = createServiceContext('pinion', logger)
  const routers: Router[] = []
  const fastRoutes: FastRoute[] = []
  for (const service of services) {
    const serviceConfig = config.services.get(service.name)
    const mounted = await service.mount(serviceConfig, context)
    routers.push(mounted.router)
    fastRoutes.push(...mounted.fastRoutes)
  }
  return { ...context.deps, config, routers, fastRoutes }
}
