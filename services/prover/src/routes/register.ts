import { getAuth } from '@pinion/auth'
import express, { Router } from 'express'
import { z } from 'zod'
import { fromB64 } from '../domain/base64.js'
import { registerTags, unregister, type RegisterComponents } from '../domain/register.js'

const RegisterBody = z.object({
  key_id: z.string().min(1).max(64),
  root: z.string().min(1).max(200),
  prover_setup: z.string().min(1),
  tags: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100_000)]),
  root_descriptor: z.string().min(1),
  client_setup: z.string().min(1).optional(),
  sidecar: z.string().min(1).optional(),
  challenge_size: z.number().int().min(1).max(100_000).optional(),
})

/** `POST /register` (client-side tags) and `DELETE /register/:key_id/:root`. */
export function registerRouter(components: RegisterComponents, init: { maxBytes: number }): Router {
  const router = Router()
  router.post('/register', express.json({ limit: init.maxBytes }), async (req, res) => {
    const body = RegisterBody.parse(req.body)
    const tags = typeof body.tags === 'string' ? [body.tags] : body.tags
    const registered = await registerTags(components, {
      userId: getAuth(req).userId,
      keyId: body.key_id,
      root: body.root,
      proverSetup: fromB64(body.prover_setup, 'prover_setup'),
      tags: tags.map((t, i) => fromB64(t, `tags[${i}]`)),
      rootDescriptor: fromB64(body.root_descriptor, 'root_descriptor'),
      ...(body.client_setup ? { clientSetup: fromB64(body.client_setup, 'client_setup') } : {}),
      ...(body.sidecar ? { sidecar: fromB64(body.sidecar, 'sidecar') } : {}),
      ...(body.challenge_size ? { challengeSize: body.challenge_size } : {}),
    })
    res.status(201).json(registered)
  })
  router.delete('/register/:key_id/:root', async (req, res) => {
    const { key_id, root } = req.params as { key_id: string; root: string }
    await unregister(components, getAuth(req).userId, key_id, root)
    res.status(204).end()
  })
  return router
}
