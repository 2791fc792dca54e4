import type { RequestListener } from 'node:http'
import { createServiceApp, withFastRoutes } from '@pinion/service-kit'
import type { AllInOneDeps } from './deps.js'

/**
 * One app, one port: every service's routes behind the standard middleware, and in front of it
 * the services' hot paths (the gateway's token reads), as each service runs them standalone.
 */
export function createApp(deps: AllInOneDeps): RequestListener {
  const app = createServiceApp(deps, {
    trustProxyHops: deps.config.TRUST_PROXY_HOPS,
    mount(app) {
      for (const router of deps.routers) app.use(router)
    },
  })
  return withFastRoutes(deps, app, deps.fastRoutes)
}
