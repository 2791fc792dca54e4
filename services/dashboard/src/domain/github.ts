import { isUuid, type PrismaClient } from '@pinion/db'
import type { AttachedMessaging } from '@pinion/platform'
import { AppError, NotFoundError } from '@pinion/service-kit'

/** What the GitHub pages need. */
export interface GitHubComponents {
  prisma: PrismaClient
  messaging: AttachedMessaging['messaging']
}

/** An installation of the GitHub App linked to the user. */
export interface InstallationSummary {
  id: number
  accountLogin: string
  accountType: string
  repositories: string[]
}

/** One webhook delivery as the GitHub Events page shows it. */
export interface EventSummary {
  id: string
  deliveryId: string
  event: string
  action: string | null
  repository: string | null
  status: string
  messages: { at: string; level: string; text: string }[]
  createdAt: string
  processedAt: string | null
}

/** The user's installations with their repositories (by full name, sorted). */
export async function listInstallations(
  components: GitHubComponents,
  userId: string,
): Promise<InstallationSummary[]> {
  if (!isUuid(userId)) return []
  const rows = await components.prisma.githubInstallation.findMany({
    where: { userId },
    include: { repositories: { select: { fullName: true }, orderBy: { fullName: 'asc' } } },
    orderBy: { createdAt: 'asc' },
  })
  return rows.map((row) => ({
    id: Number(row.id),
    accountLogin: row.accountLogin,
    accountType: row.accountType,
    repositories: row.repositories.map((repo) => repo.fullName),
  }))
}

function messagesOf(value: unknown): EventSummary['messages'] {
  if (!Array.isArray(value)) return []
  return value.filter(
    (m): m is EventSummary['messages'][number] =>
      typeof m === 'object' && m !== null && typeof (m as { text?: unknown }).text === 'string',
  )
}

/** The user's webhook events, newest first, `limit` at a time, created before `before`. */
export async function listEvents(
  components: GitHubComponents,
  userId: string,
  page: { limit: number; before?: Date | undefined },
): Promise<EventSummary[]> {
  if (!isUuid(userId)) return []
  const rows = await components.prisma.webhookEvent.findMany({
    where: { userId, ...(page.before === undefined ? {} : { createdAt: { lt: page.before } }) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit,
  })
  return rows.map((row) => ({
    id: row.id,
    deliveryId: row.deliveryId,
    event: row.event,
    action: row.action,
    repository: row.repositoryFullName,
    status: row.status,
    messages: messagesOf(row.messages),
    createdAt: row.createdAt.toISOString(),
    processedAt: row.processedAt?.toISOString() ?? null,
  }))
}

/** A re-run was asked for while the event is being processed (409). */
export class EventBusyError extends AppError {
  constructor() {
    super('CONFLICT', { details: 'The event is being processed; re-run it when it has finished' })
  }
}

/**
 * Queues one of the user's webhook events again: status `queued`, then a delivery message the
 * github-bot processes (it takes any delivery whose row is not `succeeded`/`ignored`). The message
 * id carries the attempt count, so a double click publishes once and a later re-run publishes anew.
 *
 * @throws NotFoundError (not the user's, or no such event), EventBusyError while processing.
 */
export async function rerunEvent(
  components: GitHubComponents,
  userId: string,
  eventId: string,
): Promise<void> {
  if (!isUuid(userId) || !isUuid(eventId)) throw new NotFoundError('No such event')
  const row = await components.prisma.webhookEvent.findFirst({ where: { id: eventId, userId } })
  if (row === null) throw new NotFoundError('No such event')
  if (row.status === 'processing') throw new EventBusyError()
  await components.prisma.webhookEvent.update({ where: { id: row.id }, data: { status: 'queued' } })
  await components.messaging.publish(
    'pinion.github.deliveries',
    {
      deliveryId: row.deliveryId,
      event: row.event,
      ...(row.action === null ? {} : { action: row.action }),
      ...(row.installationId === null ? {} : { installationId: Number(row.installationId) }),
      webhookEventId: row.id,
      receivedAt: row.createdAt.toISOString(),
    },
    { msgId: `rerun-${row.id}-${row.attempts}` },
  )
}
