import type { Logger } from '@pinion/service-kit'
import type { GithubApi } from './github-api.js'
import { candidateUsers } from './installation-handler.js'
import type { InstallationOwner, Installations } from './installations.js'
import { errorText, type Job, type JobOutcome } from './job.js'
import { createJournal } from './journal.js'
import { finishedStatuses, type WebhookEvents } from './webhook-events.js'

export type EventHandler = (job: Job) => Promise<JobOutcome>

export interface DeliveryProcessorComponents {
  readonly events: WebhookEvents
  readonly installations: Installations
  /** Undefined when no App is configured: events needing GitHub then fail with that reason. */
  readonly github: GithubApi | undefined
  /** Handlers by `X-GitHub-Event`; other events are recorded as ignored. */
  readonly handlers: Readonly<Record<string, EventHandler>>
  readonly logger: Logger
}

export interface ProcessOptions {
  readonly heartbeat: () => void
  readonly signal: AbortSignal
}

/**
 * Processes one stored delivery: skips it when its row is already `succeeded`/`ignored` (a
 * redelivery of finished work), else moves it to `processing`, runs the event's handler with a
 * journal on the row, and records how it ended. A handler's error fails the event (with the
 * error in its messages) rather than the queue message: GitHub redeliveries and the
 * dashboard's re-run are how a failed event runs again.
 */
export function createDeliveryProcessor(components: DeliveryProcessorComponents) {
  const { events, installations, github, handlers, logger } = components

  return async function process(eventId: string, options: ProcessOptions): Promise<void> {
    const event = await events.find(eventId)
    if (event === undefined) {
      logger.warn({ eventId }, 'delivery of an unknown webhook event')
      return
    }
    if (finishedStatuses.includes(event.status)) return
    const started = await events.transition(eventId, 'processing', {
      unless: finishedStatuses,
      countAttempt: true,
    })
    if (!started) return
    const journal = createJournal({ events, logger }, eventId)
    const name = event.action === undefined ? event.event : `${event.event}.${event.action}`
    await journal.info(`processing ${name} (attempt ${event.attempts + 1})`)
    const handler = handlers[event.event]
    let outcome: JobOutcome
    if (handler === undefined) {
      await journal.info(`${event.event} events are not used: ignored`)
      outcome = 'ignored'
    } else {
      const installationId = event.installationId
      const job: Job = {
        event,
        journal,
        github:
          installationId === undefined || github === undefined
            ? undefined
            : github.installation(installationId, {
                onRateLimit: (notice) =>
                  journal.warn(
                    `GitHub rate limit (${notice.status}): retrying in ${Math.ceil(notice.waitMs / 1000)} s (retry ${notice.attempt})`,
                  ),
              }),
        owner: async (account, senderId): Promise<InstallationOwner> => {
          if (installationId === undefined) throw new Error('the event names no installation')
          let owner = await installations.owner(installationId)
          if (owner === undefined || owner.userId === undefined) {
            // First sight of this installation, or its user signed in since: (re)link.
            owner = await installations.save(
              { id: installationId, account, suspended: owner?.suspended ?? false },
              candidateUsers(account, senderId),
            )
          }
          if (owner.userId !== undefined) await events.setUser(eventId, owner.userId)
          return owner
        },
        heartbeat: options.heartbeat,
        signal: options.signal,
      }
      try {
        if (
          github === undefined &&
          installationId !== undefined &&
          event.event !== 'installation' &&
          event.event !== 'installation_repositories'
        ) {
          throw new Error('no GitHub App is configured (GITHUB_APP_ID)')
        }
        outcome = await handler(job)
      } catch (error) {
        logger.warn({ err: error, eventId }, 'webhook event failed')
        await journal.error(`failed: ${errorText(error)}`)
        outcome = 'failed'
      }
    }
    await journal.info(`finished: ${outcome}`)
    await events.transition(eventId, outcome, { processed: true })
  }
}

/**
 * What the deliveries queue calls when it gave up on an event: processing threw on every delivery
 * (an infrastructure failure: a handler's own errors end as `failed` already). The row must not
 * stay `processing` for ever: it becomes `failed` with a message saying why, so the user sees it
 * and can re-run it. A finished event (`succeeded`, `ignored`) is left as it is.
 */
export async function giveUpOnEvent(
  events: Pick<WebhookEvents, 'append' | 'transition'>,
  eventId: string,
  error: unknown,
): Promise<void> {
  const moved = await events.transition(eventId, 'failed', {
    unless: finishedStatuses,
    processed: true,
  })
  if (!moved) return
  await events.append(eventId, [
    {
      at: new Date().toISOString(),
      level: 'error',
      text: `given up after repeated failures: ${errorText(error)}`,
    },
  ])
}
