import { Router } from 'express'
import { z } from 'zod'
import {
  listEvents,
  listInstallations,
  rerunEvent,
  type GitHubComponents,
} from '../domain/github.js'
import { userIdOf } from './tokens.js'

const EventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** `createdAt` of the last event of the previous page. */
  before: z.iso.datetime({ offset: true }).optional(),
})

/** `/github/…` (under /api/account, behind requireSession). */
export function gitHubRouter(
  components: GitHubComponents,
  init: { installUrl: string | null },
): Router {
  const router = Router()
  router.get('/github/installations', async (req, res) => {
    res.json({ results: await listInstallations(components, userIdOf(req)) })
  })
  router.get('/github/install-url', (_req, res) => {
    res.json({ url: init.installUrl })
  })
  router.get('/github/events', async (req, res) => {
    const query = EventsQuery.parse(req.query)
    const results = await listEvents(components, userIdOf(req), {
      limit: query.limit,
      before: query.before === undefined ? undefined : new Date(query.before),
    })
    res.json({ results })
  })
  router.post('/github/events/:id/rerun', async (req, res) => {
    await rerunEvent(components, userIdOf(req), req.params.id as string)
    res.status(202).end()
  })
  return router
}
