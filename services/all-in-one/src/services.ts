import * as dashboard from '@pinion/dashboard'
import * as gateway from '@pinion/gateway'
import * as githubBot from '@pinion/github-bot'
import * as pinningApi from '@pinion/pinning-api'
import type { ServiceContext } from '@pinion/platform'
import type { FastRoute } from '@pinion/service-kit'
import * as prover from '@pinion/prover'
import * as upload from '@pinion/upload'
import * as worker from '@pinion/worker'
import type { Router } from 'express'
import type { z } from 'zod'

/** What a service adds to the one app: its routes, and any hot path in front of Express. */
export interface MountedService {
  readonly router: Router
  readonly fastRoutes: readonly FastRoute[]
}

/** How the all-in-one process sees a service: its config schema and how to get its routes. */
export interface MountableService<S extends z.ZodType = z.ZodType> {
  readonly name: string
  readonly ConfigSchema: S
  mount(config: z.infer<S>, context: ServiceContext): Promise<MountedService>
}

function mountable<S extends z.ZodType, D>(
  name: string,
  service: {
    ConfigSchema: S
    buildDepsWith(config: z.infer<S>, context: ServiceContext): Promise<D>
    createRoutes(deps: D): Router
    createFastRoutes?(deps: D): FastRoute[]
  },
): MountableService<S> {
  return {
    name,
    ConfigSchema: service.ConfigSchema,
    mount: async (config, context) => {
      const deps = await service.buildDepsWith(config, context)
      return {
        router: service.createRoutes(deps),
        fastRoutes: service.createFastRoutes?.(deps) ?? [],
      }
    },
  }
}

/**
 * Every service, in mount order. The dashboard comes last because it owns `/` (the web app and
 * its client-side routes); the worker has no routes but starts its consumers.
 */
export const services: readonly MountableService[] = [
  mountable('pinning-api', pinningApi),
  mountable('upload', upload),
  mountable('gateway', gateway),
  mountable('github-bot', githubBot),
  mountable('prover', prover),
  mountable('worker', worker),
  mountable('dashboard', dashboard),
]
