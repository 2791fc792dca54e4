import { parseListQuery, parsePinRequest, type Pins } from '@pinion/pins'
import express, { Router } from 'express'
import { userIdOf } from './tokens.js'

/**
 * `/pins` (under /api/account, behind requireSession): the Pinning API's list, replace and
 * delete over the same pin domain, for the signed-in user. DELETE answers 204 (the web app's
 * contract) where the Pinning API answers 202.
 */
export function pinsRouter(pins: Pins): Router {
  const router = Router()
  const json = express.json({ limit: '1mb' })
  router.get('/pins', async (req, res) => {
    const filters = parseListQuery(new URL(req.originalUrl, 'http://localhost').searchParams)
    const page = await pins.listPins(userIdOf(req), filters)
    res.json({ count: page.count, results: page.rows.map((row) => pins.toPinStatus(row)) })
  })
  router.post('/pins/:requestid', json, async (req, res) => {
    const row = await pins.replacePin(
      userIdOf(req),
      req.params.requestid as string,
      parsePinRequest(req.body),
    )
    res.status(202).json(pins.toPinStatus(row))
  })
  router.delete('/pins/:requestid', async (req, res) => {
    await pins.deletePin(userIdOf(req), req.params.requestid as string)
    res.status(204).end()
  })
  return router
}
