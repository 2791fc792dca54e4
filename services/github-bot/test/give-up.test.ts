import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabaseWebhookEvents } from '../src/adapters/database-events.js'
import { giveUpOnEvent } from '../src/domain/delivery-processor.js'
import { startBot, texts, type RunningBot } from './helpers/bot.js'

// When the deliveries queue gives up on an event (processing threw on every delivery: Postgres
// or NATS failing, not a handler's own error), `giveUpOnEvent` runs (the consumer's onExhausted;
// the queue's side is tested in @pinion/messaging). Its row must not stay `processing`.

let bot: RunningBot
beforeAll(async () => {
  bot = await startBot()
})
afterAll(() => bot?.stop())

async function eventIn(status: 'processing' | 'succeeded', deliveryId: string) {
  return bot.deps.database.prisma.webhookEvent.create({
    data: {
      deliveryId,
      event: 'release',
      action: 'published',
      installationId: 1n,
      repositoryFullName: 'octo/hello',
      payload: {},
      status,
      attempts: 6,
      messages: [],
    },
  })
}

describe('giving up on an event', () => {
  it('marks a processing event failed, saying why, so it can be re-run', async () => {
    const events = createDatabaseWebhookEvents(bot.deps.database)
    const stuck = await eventIn('processing', 'give-up-1')
    await giveUpOnEvent(events, stuck.id, new Error('database unreachable'))
    const row = await bot.eventWhen('give-up-1', (event) => event.status !== 'processing')
    expect(row.status).toBe('failed')
    expect(texts(row)).toEqual(['given up after repeated failures: database unreachable'])
    expect(row.messages[0]?.level).toBe('error')
  })

  it('leaves a finished event as it is', async () => {
    const events = createDatabaseWebhookEvents(bot.deps.database)
    const done = await eventIn('succeeded', 'give-up-2')
    await giveUpOnEvent(events, done.id, new Error('late failure'))
    const row = await bot.deps.database.prisma.webhookEvent.findUniqueOrThrow({
      where: { id: done.id },
    })
    expect(row.status).toBe('succeeded')
    expect(row.messages).toEqual([])
  })
})
