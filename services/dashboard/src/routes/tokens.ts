import { sessionUser } from '@pinion/sessions'
import express, { Router, type Request } from 'express'
import { z } from 'zod'
import {
  createToken,
  listTokens,
  revokeToken,
  type ApiTokenComponents,
} from '../domain/api-tokens.js'

const CreateTokenBody = z.object({
  name: z.string().trim().min(1).max(255),
  // What a user may grant their own tokens; `admin` is for operators (the CLI).
  scopes: z
    .array(z.enum(['pinning', 'upload', 'gateway', 'prover']))
    .min(1)
    .max(4),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
})

/** The signed-in user's id; routes here sit behind requireSession. */
export function userIdOf(req: Request): string {
  const user = sessionUser(req)
  if (user === undefined) throw new Error('route without requireSession')
  return user.id
}

/** `/tokens` (under /api/account, behind requireSession). */
export function tokensRouter(components: ApiTokenComponents): Router {
  const router = Router()
  router.get('/tokens', async (req, res) => {
    res.json({ results: await listTokens(components, userIdOf(req)) })
  })
  router.post('/tokens', express.json(), async (req, res) => {
    const body = CreateTokenBody.parse(req.body)
    const created = await createToken(components, userIdOf(req), {
      name: body.name,
      scopes: [...new Set(body.scopes)],
      expiresInDays: body.expiresInDays,
    })
    res.status(201).json(created)
  })
  router.delete('/tokens/:id', async (req, res) => {
    await revokeToken(components, userIdOf(req), req.params.id as string)
    res.status(204).end()
  })
  return router
}
