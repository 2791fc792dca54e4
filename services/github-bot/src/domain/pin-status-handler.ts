import type { Logger } from '@pinion/service-kit'
import { displayPath } from './build-config.js'
import { gatewayUrl, statusDescription } from './commit-statuses.js'
import type { CommitStatus, GithubApi } from './github-api.js'
import type { GithubPinLinks } from './github-pin-links.js'
import { errorText } from './job.js'
import type { GithubPins } from './pins.js'
import type { WebhookEvents } from './webhook-events.js'

/** A pin's status change, as the worker publishes it. */
export interface PinStatusChange {
  readonly requestId: string
  readonly status: 'queued' | 'pinning' | 'pinned' | 'failed'
  readonly cid: string
  readonly info?: Record<string, string> | undefined
}

/** The success status of a pinned directory: CID in the description, the gateway as link. */
export function pinnedStatus(
  publicUrl: string,
  link: { cid: string; path: string; context: string },
): CommitStatus {
  return {
    state: 'success',
    context: link.context,
    description: statusDescription(`${displayPath(link.path)} pinned: ${link.cid}`),
    targetUrl: gatewayUrl(publicUrl, link.cid),
  }
}

export type PinStatusOutcome = 'done' | 'not-ours' | 'not-final' | 'link-pending'

/**
 * Turns the worker's final pin statuses into commit statuses: `pinned` → `success` with the CID
 * and a gateway link, `failed` → `failure` with the worker's reason. Statuses of pins the bot
 * did not make are ignored. A github pin whose link row is not written yet (the worker was
 * quicker than the bot's insert) answers `link-pending` so the message is retried.
 */
export function createPinStatusHandler(components: {
  github: GithubApi | undefined
  links: GithubPinLinks
  pins: Pick<GithubPins, 'describe'>
  events: Pick<WebhookEvents, 'appendByDelivery'>
  publicUrl: string
  logger: Logger
}) {
  const { github, links, pins, events, publicUrl, logger } = components

  return async function onPinStatus(change: PinStatusChange): Promise<PinStatusOutcome> {
    if (change.status !== 'pinned' && change.status !== 'failed') return 'not-final'
    const link = await links.find(change.requestId)
    if (link === undefined) {
      const pin = await pins.describe(change.requestId)
      return pin?.source === 'github' ? 'link-pending' : 'not-ours'
    }
    const note = (level: 'info' | 'error', text: string) =>
      events.appendByDelivery(link.deliveryId, [{ at: new Date().toISOString(), level, text }])
    if (link.kind === 'release_asset') {
      await note(
        change.status === 'pinned' ? 'info' : 'error',
        `${link.fileName}: ${change.status}${change.info?.reason === undefined ? '' : ` (${change.info.reason})`}`,
      )
      return 'done'
    }
    if (github === undefined) return 'done'
    const [owner, name] = link.repository.split('/')
    const status: CommitStatus =
      change.status === 'pinned'
        ? pinnedStatus(publicUrl, link)
        : {
            state: 'failure',
            context: link.context,
            description: statusDescription(
              `Pinning ${displayPath(link.path)} failed: ${change.info?.reason ?? 'unknown reason'}`,
            ),
          }
    try {
      await github
        .installation(link.installationId)
        .postStatus({ owner: owner ?? '', name: name ?? '' }, link.sha, status)
    } catch (error) {
      await note(
        'error',
        `${displayPath(link.path)}: could not post the ${status.state} status: ${errorText(error)}`,
      )
      throw error
    }
    await links.setStatusState(link.pinId, status.state)
    await note(
      change.status === 'pinned' ? 'info' : 'error',
      `${displayPath(link.path)} ${change.status}: ${status.state} status posted`,
    )
    logger.info({ pinId: link.pinId, state: status.state }, 'commit status posted')
    return 'done'
  }
}
