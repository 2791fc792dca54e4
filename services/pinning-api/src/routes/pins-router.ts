/**
 * The IPFS Pinning Service API v1.0.0 (shared/specs/ipfs-pinning-service.yaml) at
 * `/pinning/api/v1`: five operations, Bearer tokens with the `pinning` scope, every answer JSON
 * (errors as `{"error":{"reason","details"}}`), POST and DELETE answer 202.
 */
import { getAuth, type Auth } from '@pinion/auth'
import { parseListQuery, parsePinRequest, type Pins } from '@pinion/pins'
import { AppError } from '@pinion/service-kit'
import express, { Router, type Request, type RequestHandler } from 'express'
import { pinningCors } from './cors.js'

export const pinningBasePath = '/pinning/api/v1'

export interface PinsRouterDeps {
  readonly pins: Pins
  readonly auth: Pick<Auth, 'requireToken'>
  /** Largest request body, in bytes (413 beyond). */
  readonly maxBodyBytes: number
}

export function createPinsRouter(deps: PinsRouterDeps): Router {
  const { pins } = deps
  const router = Router()
  const base = pinningBasePath
  // A base URL configured with a trailing slash makes clients ask for `…/v1//pins`.
  router.use(base, (req, _res, next) => {
    req.url = req.url.replace(/^\/{2,}/, '/')
    next()
  })
  router.use(base, pinningCors())
  // Clients send the same token with every call; its signature is checked once per 30 s
  // (revocation on every request).
  const requireToken = deps.auth.requireToken('pinning', { cacheVerification: true })
  // Any content type is read as JSON: curl's default form type must not turn a Pin into a 400.
  const json = express.json({ limit: deps.maxBodyBytes, type: () => true })
  const userIdOf = (req: Request) => getAuth(req).userId

  router.get(`${base}/pins`, requireToken, async (req, res) => {
    const filters = parseListQuery(new URL(req.originalUrl, 'http://localhost').searchParams)
    const page = await pins.listPins(userIdOf(req), filters)
    res.json({ count: page.count, results: page.rows.map((row) => pins.toPinStatus(row)) })
  })

  router.post(`${base}/pins`, requireToken, json, async (req, res) => {
    const row = await pins.createPin({ userId: userIdOf(req), ...parsePinRequest(req.body) })
    res.status(202).json(pins.toPinStatus(row))
  })

  router.get(`${base}/pins/:requestid`, requireToken, async (req, res) => {
    const row = await pins.getPin(userIdOf(req), requestIdOf(req))
    res.json(pins.toPinStatus(row))
  })

  router.post(`${base}/pins/:requestid`, requireToken, json, async (req, res) => {
    const row = await pins.replacePin(userIdOf(req), requestIdOf(req), parsePinRequest(req.body))
    res.status(202).json(pins.toPinStatus(row))
  })

  router.delete(`${base}/pins/:requestid`, requireToken, async (req, res) => {
    await pins.deletePin(userIdOf(req), requestIdOf(req))
    res.status(202).end()
  })

  router.all(`${base}/pins`, methodNotAllowed('GET, POST'))
  router.all(`${base}/pins/:requestid`, methodNotAllowed('GET, POST, DELETE'))
  return router
}

function requestIdOf(req: Request): string {
  const value = req.params.requestid
  return typeof value === 'string' ? value : ''
}

function methodNotAllowed(allow: string): RequestHandler {
  return (req, res) => {
    res.setHeader('allow', allow)
    throw new AppError('METHOD_NOT_ALLOWED', {
      details: `${req.method} is not allowed here; use ${allow}`,
    })
  }
}
