import { ZodError } from 'zod'
import { buildConfigPath, parseBuildConfig, type BuildConfig } from './build-config.js'
import type { InstallationApi, RepositoryRef } from './github-api.js'
import type { InstallationOwner } from './installations.js'
import type { Journal } from './journal.js'
import { ownerLogin, type PushPayload } from './payloads.js'
import type { EventStatus, StoredEvent } from './webhook-events.js'

/** How a processed event ends. */
export type JobOutcome = Extract<EventStatus, 'succeeded' | 'failed' | 'ignored'>

/** What an event handler gets for one delivery. */
export interface Job {
  readonly event: StoredEvent
  readonly journal: Journal
  /** GitHub as the event's installation (undefined for events without one). */
  readonly github: InstallationApi | undefined
  /**
   * The installation's owner, creating the installation row from the payload when the bot has
   * not seen it yet; also records the user on the event row.
   */
  owner(
    account: { id: number; login: string; type: string },
    senderId?: number,
  ): Promise<InstallationOwner>
  /** Tells the queue the job is alive (long polls and downloads). */
  heartbeat(): void
  readonly signal: AbortSignal
}

/**
 * The Pinion user whose pins and quota an event on `repository` uses (the installation owner's
 * linked account): `suspended` when the installation is suspended (journaled), `unlinked` when no
 * Pinion user signed in with that GitHub account (journaled as an error; `text` says so).
 */
export async function pinionUserOf(
  job: Job,
  repository: PushPayload['repository'],
  senderId: number | undefined,
): Promise<
  { kind: 'user'; userId: string } | { kind: 'suspended' } | { kind: 'unlinked'; text: string }
> {
  const owner = await job.owner(
    { id: repository.owner.id, login: ownerLogin(repository), type: repository.owner.type },
    senderId,
  )
  if (owner.suspended) {
    await job.journal.info(`the installation for ${owner.accountLogin} is suspended: nothing to do`)
    return { kind: 'suspended' }
  }
  if (owner.userId === undefined) {
    const text = `GitHub account ${owner.accountLogin} is not linked to a Pinion user: sign in to Pinion with GitHub`
    await job.journal.error(text)
    return { kind: 'unlinked', text }
  }
  return { kind: 'user', userId: owner.userId }
}

/** The configuration at `ref`: `missing`, `invalid` (problems already journaled) or the config. */
export async function readBuildConfig(
  job: Job,
  github: InstallationApi,
  repository: RepositoryRef,
  ref: string,
): Promise<
  | { kind: 'missing' }
  | { kind: 'invalid'; problems: readonly string[] }
  | { kind: 'ok'; config: BuildConfig }
> {
  const text = await github.readFile(repository, buildConfigPath, ref)
  if (text === undefined) {
    await job.journal.info(`no ${buildConfigPath} at ${shortRef(ref)}: nothing to do`)
    return { kind: 'missing' }
  }
  const parsed = parseBuildConfig(text)
  if (!parsed.ok) {
    await job.journal.error(`${buildConfigPath} at ${shortRef(ref)} is invalid:`)
    for (const problem of parsed.problems) await job.journal.error(`  ${problem}`)
    return { kind: 'invalid', problems: parsed.problems }
  }
  return { kind: 'ok', config: parsed.config }
}

/** A 40-hex sha as its 7-character abbreviation; any other ref unchanged. */
export function shortRef(ref: string): string {
  return /^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 7) : ref
}

/** Waits `ms`, sending a heartbeat every `beatMs` so the queue does not redeliver meanwhile. */
export async function waitWithHeartbeat(
  ms: number,
  job: Pick<Job, 'heartbeat' | 'signal'>,
  beatMs = 15_000,
): Promise<void> {
  let left = ms
  while (left > 0) {
    job.signal.throwIfAborted()
    const step = Math.min(left, beatMs)
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, step)
      job.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer)
          reject(job.signal.reason as Error)
        },
        { once: true },
      )
    })
    left -= step
    job.heartbeat()
  }
}

/** An error's safe text for event messages and status descriptions. */
export function errorText(error: unknown): string {
  if (error instanceof ZodError) {
    // A payload without a field the bot reads: name the fields rather than dump zod's JSON.
    const fields = error.issues.map(
      (issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`,
    )
    return `unexpected payload: ${fields.slice(0, 3).join('; ')}`
  }
  if (typeof error === 'object' && error !== null) {
    const details = (error as { details?: unknown }).details
    if (typeof details === 'string') return details
    const message = (error as { message?: unknown }).message
    if (typeof message === 'string') return message.split('\n')[0] ?? 'unknown error'
  }
  return String(error)
}
