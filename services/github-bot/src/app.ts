import { Router, type Express } from 'express'
import { createServiceApp } from '@pinion/service-kit'
import type { GithubBotDeps } from './deps.js'
import { createWebhookRouter } from './routes/webhooks.js'

/** github-bot's routes, without the standard middleware, so the all-in-one process can mount them. */
export function createRoutes(deps: GithubBotDeps): Router {
  const router = Router()
  router.use(createWebhookRouter({ secret: deps.webhookSecret, receive: deps.receive }))
  return router
}

/** The standalone github-bot app: standard middleware, health, metrics, then its routes. */
export function createApp(deps: GithubBotDeps): Express {
  return createServiceApp(deps, {
    trustProxyHops: deps.config.TRUST_PROXY_HOPS,
    mount: (app) => app.use(createRoutes(deps)),
  })
}
