import { getAuth } from '@pinion/auth'
import express, { Router } from 'express'
import { z } from 'zod'
import { startTagging, tagStatus, type TaggingComponents } from '../domain/tagging.js'

const TagBody = z.object({ root: z.string().min(1).max(200), key_id: z.string().min(1).max(64) })

/** `POST /tag` (start; 200 when done within the wait, else 202) and `GET /tag` (progress). */
export function tagsRouter(components: TaggingComponents, init: { waitMs: number }): Router {
  const router = Router()
  router.post('/tag', express.json(), async (req, res) => {
    const body = TagBody.parse(req.body)
    const target = { userId: getAuth(req).userId, keyId: body.key_id, root: body.root }
    const state = await startTagging(components, init, target)
    if (state.status === 'tagging') {
      const query = new URLSearchParams({ key_id: body.key_id, root: body.root })
      res.status(202).location(`/prover/api/v1/tag?${query}`)
    }
    res.json(state)
  })
  router.get('/tag', async (req, res) => {
    const query = TagBody.parse(req.query)
    res.json(
      await tagStatus(components, {
        userId: getAuth(req).userId,
        keyId: query.key_id,
        root: query.root,
      }),
    )
  })
  return router
}
