import { getAuth } from '@pinion/auth'
import express, { Router } from 'express'
import { z } from 'zod'
import {
  createChallengeKey,
  deleteChallengeKey,
  getSetup,
  listChallengeKeys,
  type KeyComponents,
} from '../domain/keys.js'

const CreateKeyBody = z.object({
  protocol: z.enum(['sw-priv', 'sw-pub', 'ateniese', 'erway', 'bjo']),
  challenge_size: z.number().int().min(1).max(100_000).default(20),
  suite: z.string().min(1).max(40).optional(),
  sectors: z.number().int().min(1).max(256).optional(),
  sentinels: z.number().int().min(1).max(100_000).optional(),
})

/** `/challenge-key(s)` and `/setup` under /prover/api/v1 (behind requireToken('prover')). */
export function keysRouter(components: KeyComponents): Router {
  const router = Router()
  router.post('/challenge-key', express.json(), async (req, res) => {
    const body = CreateKeyBody.parse(req.body)
    const created = await createChallengeKey(components, {
      userId: getAuth(req).userId,
      protocol: body.protocol,
      challengeSize: body.challenge_size,
      ...(body.suite !== undefined ? { suite: body.suite } : {}),
      ...(body.sectors !== undefined ? { sectors: body.sectors } : {}),
      ...(body.sentinels !== undefined ? { sentinels: body.sentinels } : {}),
    })
    res.status(201).json(created)
  })
  router.get('/challenge-keys', async (req, res) => {
    res.json({ keys: await listChallengeKeys(components, getAuth(req).userId) })
  })
  router.delete('/challenge-key/:id', async (req, res) => {
    await deleteChallengeKey(components, getAuth(req).userId, req.params.id as string)
    res.status(204).end()
  })
  router.get('/setup', async (req, res) => {
    const { key_id } = z.object({ key_id: z.string().min(1) }).parse(req.query)
    res.json(await getSetup(components, getAuth(req).userId, key_id))
  })
  return router
}
