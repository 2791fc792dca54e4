import { isUniqueViolation, type Prisma, type Database, type WebhookEvent } from '@pinion/db'
import type { EventStatus, StoredEvent, WebhookEvents } from '../domain/webhook-events.js'

function toStored(row: WebhookEvent): StoredEvent {
  return {
    id: row.id,
    deliveryId: row.deliveryId,
    event: row.event,
    action: row.action ?? undefined,
    installationId: row.installationId === null ? undefined : Number(row.installationId),
    repositoryFullName: row.repositoryFullName ?? undefined,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.createdAt,
  }
}

/** The event log on Postgres (`webhook_events`). */
export function createDatabaseWebhookEvents(database: Database): WebhookEvents {
  const prisma = database.prisma
  return {
    async record(delivery) {
      try {
        const row = await prisma.webhookEvent.create({
          data: {
            deliveryId: delivery.deliveryId,
            event: delivery.event,
            action: delivery.action ?? null,
            installationId:
              delivery.installationId === undefined ? null : BigInt(delivery.installationId),
            repositoryFullName: delivery.repositoryFullName ?? null,
            payload: delivery.payload as Prisma.InputJsonValue,
            status: 'received',
          },
        })
        return { event: toStored(row), created: true }
      } catch (error) {
        if (!isUniqueViolation(error)) throw error
        const row = await prisma.webhookEvent.findUniqueOrThrow({
          where: { deliveryId: delivery.deliveryId },
        })
        return { event: toStored(row), created: false }
      }
    },
    async find(id) {
      const row = await prisma.webhookEvent.findUnique({ where: { id } })
      return row === null ? undefined : toStored(row)
    },
    async transition(id, status: EventStatus, options = {}) {
      const result = await prisma.webhookEvent.updateMany({
        where: {
          id,
          ...(options.unless === undefined ? {} : { status: { notIn: [...options.unless] } }),
        },
        data: {
          status,
          ...(options.countAttempt === true ? { attempts: { increment: 1 } } : {}),
          ...(options.processed === true ? { processedAt: new Date() } : {}),
        },
      })
      return result.count === 1
    },
    async append(id, messages) {
      // One statement, so concurrent writers (processor, pin-status consumer) never lose a line.
      await prisma.$executeRaw`UPDATE webhook_events SET messages = messages || ${JSON.stringify(messages)}::jsonb, updated_at = now() WHERE id = ${id}::uuid`
    },
    async appendByDelivery(deliveryId, messages) {
      await prisma.$executeRaw`UPDATE webhook_events SET messages = messages || ${JSON.stringify(messages)}::jsonb, updated_at = now() WHERE delivery_id = ${deliveryId}`
    },
    async stale(before, limit) {
      const rows = await prisma.webhookEvent.findMany({
        where: { status: { in: ['received', 'queued'] }, updatedAt: { lt: before } },
        orderBy: { createdAt: 'asc' },
        take: limit,
      })
      return rows.map(toStored)
    },
    async setUser(id, userId) {
      await prisma.webhookEvent.update({ where: { id }, data: { userId } })
    },
  }
}
