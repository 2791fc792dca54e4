import type { PrismaClient } from '@pinion/db'
import { Router } from 'express'
import { z } from 'zod'
import { usageReport } from '../domain/usage.js'
import { userIdOf } from './tokens.js'

const UsageQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) })

/** `/usage` (under /api/account, behind requireSession). */
export function usageRouter(
  prisma: PrismaClient,
  init: { defaultGatewayLimit: bigint | undefined },
): Router {
  const router = Router()
  router.get('/usage', async (req, res) => {
    const { days } = UsageQuery.parse(req.query)
    res.json(
      await usageReport(prisma, userIdOf(req), {
        days,
        defaultGatewayLimit: init.defaultGatewayLimit,
      }),
    )
  })
  return router
}
