import { createTcpProxy, natsUrl, type TcpProxy } from '@pinion/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, startBot, type RunningBot } from './helpers/bot.js'
import { pingPayload } from './helpers/payloads.js'

let bot: RunningBot
let proxy: TcpProxy

beforeAll(async () => {
  const nats = new URL(natsUrl())
  proxy = await createTcpProxy({ host: nats.hostname, port: Number(nats.port) })
  bot = await startBot({ NATS_URL: proxy.rewriteUrl(natsUrl()) })
})
afterAll(async () => {
  proxy.restore()
  await bot.stop()
  await proxy.close()
})

describe('NATS unreachable when GitHub calls', () => {
  it('the delivery is still recorded and answered 202; the sweeper queues it once NATS is back', async () => {
    proxy.cut('reset')
    const answer = await bot.deliver('ping', pingPayload())
    expect(answer.status).toBe(202)
    const row = await bot.deps.database.prisma.webhookEvent.findUniqueOrThrow({
      where: { deliveryId: answer.deliveryId },
    })
    expect(row.status).toBe('queued')

    proxy.restore()
    // Make the row look as old as the sweeper's threshold instead of waiting two minutes.
    await bot.deps.database.prisma
      .$executeRaw`UPDATE webhook_events SET updated_at = now() - interval '10 minutes' WHERE id = ${row.id}::uuid`
    await eventually(async () => {
      // The client reconnects on its own schedule: sweep until the publish goes through.
      await bot.deps.sweepStaleDeliveries().catch(() => 0)
      const current = await bot.deps.database.prisma.webhookEvent.findUniqueOrThrow({
        where: { id: row.id },
      })
      return current.status === 'succeeded' ? current : undefined
    }, 60_000)
  })
})
