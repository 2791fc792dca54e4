import { AppError } from '@pinion/service-kit'
import express, { Router, type RequestHandler } from 'express'
import { z } from 'zod'
import { b64, fromB64 } from '../domain/base64.js'
import { answerChallenge, type ProveComponents } from '../domain/prove.js'
import type { RateLimiter } from '../domain/rate-limit.js'

const ProveBody = z.object({
  key_id: z.string().min(1).max(64),
  roots: z.array(z.string().min(1).max(200)).max(1024).default([]),
  challenge: z.string().min(1).max(1_000_000),
})

/** What the unauthenticated proof route uses. */
export interface ProveRouteInit {
  readonly maxC: number
  readonly perIp: RateLimiter
  readonly perKey: RateLimiter
  readonly servicePublicKey: Uint8Array
}

function limited(limiter: RateLimiter, name: string, res: express.Response) {
  const decision = limiter.take(name)
  if (decision.ok) return
  res.setHeader('Retry-After', String(decision.retryAfterS))
  throw new AppError('TOO_MANY_REQUESTS', { details: 'too many proof requests; retry later' })
}

/** `POST /prover/prove` (no auth, rate-limited by address and key) and `GET /prover/service-key`. */
export function proveRouter(components: ProveComponents, init: ProveRouteInit): Router {
  const router = Router()
  const byIp: RequestHandler = (req, res, next) => {
    limited(init.perIp, req.ip ?? 'unknown', res)
    next()
  }
  router.post('/prover/prove', byIp, express.json({ limit: '2mb' }), async (req, res) => {
    const body = ProveBody.parse(req.body)
    limited(init.perKey, body.key_id, res)
    const answer = await answerChallenge(components, init, {
      keyId: body.key_id,
      roots: body.roots,
      challenge: fromB64(body.challenge, 'challenge'),
    })
    res.type(answer.contentType).send(Buffer.from(answer.proof))
  })
  router.get('/prover/service-key', (_req, res) => {
    res.json({ public_key: b64(init.servicePublicKey), algorithm: 'Ed25519' })
  })
  return router
}
