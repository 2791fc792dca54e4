import { createServiceApp } from '@pinion/service-kit'
import type { Express } from 'express'
import type { AllInOneDeps } from './deps.js'

/** One app, one port: every service's routes behind the standard middleware. */
export function createApp(deps: AllInOneDeps): Express {
  return createServiceApp(deps, {
    trustProxyHops: deps.config.TRUST_PROXY_HOPS,
    mount(app) {
      for (const router of deps.routers) app.use(router)
    },
  })
}
