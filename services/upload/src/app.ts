import { type Express, type Router } from 'express'
import { createServiceApp } from '@pinion/service-kit'
import type { UploadDeps } from './deps.js'
import { createUploadRouter } from './routes/upload-routes.js'

/** upload's routes, without the standard middleware, so the all-in-one process can mount them. */
export function createRoutes(deps: UploadDeps): Router {
  return createUploadRouter({
    uploader: deps.uploader,
    auth: deps.auth,
    maxFiles: deps.config.UPLOAD_MAX_FILES,
    sessions: deps.sessions,
  })
}

/** The standalone upload app: standard middleware, health, metrics, then its routes. */
export function createApp(deps: UploadDeps): Express {
  return createServiceApp(deps, {
    trustProxyHops: deps.config.TRUST_PROXY_HOPS,
    mount: (app) => app.use(createRoutes(deps)),
  })
}
