import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createUser, upsertIdentity } from '@pinion/db'
import { createServiceContext } from '@pinion/platform'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import * as worker from '@pinion/worker'
import { buildDepsWith, ConfigSchema, createApp, type GithubBotDeps } from '../../src/index.js'
import { signedDelivery, startFakeGithub, type FakeGithub } from '../../src/testing.js'
import { exampleAccount, installationPayload } from './payloads.js'

export const webhookSecret = 'It’s a Secret to Everybody'
export const publicUrl = 'https://pinion.test'

/** The bot on a real port with a fake GitHub, a fresh database, NATS namespace and blockstore. */
export interface RunningBot {
  readonly url: string
  readonly deps: GithubBotDeps
  readonly github: FakeGithub
  readonly environment: TestEnvironment
  /** A Pinion user signed in with the examples' GitHub account (so installations link to it). */
  readonly user: { id: string }
  /** Signs and posts a delivery; answers the HTTP status and body. */
  deliver(
    event: string,
    payload: unknown,
    deliveryId?: string,
  ): Promise<{ status: number; body: Record<string, unknown>; deliveryId: string }>
  /** The event row of a delivery once `done(row)` holds (polling, generous deadline). */
  eventWhen(deliveryId: string, done: (row: EventRow) => boolean): Promise<EventRow>
  stop(): Promise<void>
}

export interface EventRow {
  id: string
  status: string
  attempts: number
  userId: string | null
  messages: { at: string; level: string; text: string }[]
}

/** Polls `check` until it answers something other than undefined (30 s by default). */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * Starts the bot; with `worker: true` the real worker runs in the same process on the same
 * platform (one database pool, NATS connection and blockstore), as in the all-in-one process.
 */
export async function startBot(
  env: Record<string, string> = {},
  options: { worker?: boolean; apiPrefix?: string } = {},
): Promise<RunningBot> {
  const github = await startFakeGithub(
    options.apiPrefix === undefined ? {} : { apiPrefix: options.apiPrefix },
  )
  const environment = await createTestEnvironment({
    PUBLIC_URL: publicUrl,
    GITHUB_APP_ID: github.appId,
    GITHUB_PRIVATE_KEY: github.privateKeyPem,
    GITHUB_WEBHOOK_SECRET: webhookSecret,
    GITHUB_API_URL: github.url,
    GITHUB_RELEASE_POLL_INITIAL_MS: '100',
    GITHUB_RELEASE_POLL_MAX_MS: '20000',
    GITHUB_RATE_LIMIT_MAX_WAIT_MS: '5000',
    ...env,
  })
  const logger = createLogger({ service: 'github-bot-test', level: 'silent' })
  const context = createServiceContext('github-bot-test', logger)
  const deps = await buildDepsWith(parseConfig(ConfigSchema, environment.env), context)
  if (options.worker === true) {
    await worker.buildDepsWith(parseConfig(worker.ConfigSchema, environment.env), context)
  }
  await startAll(deps.startables, logger)
  const server: Server = createApp(deps).listen(0, '127.0.0.1')
  await once(server, 'listening')
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const prisma = deps.database.prisma
  const user = await createUser(prisma, {
    email: `github-${Date.now()}@example.org`,
    displayName: 'Codertocat',
  })
  await upsertIdentity(prisma, {
    userId: user.id,
    provider: 'github',
    subject: String(exampleAccount.id),
  })

  return {
    url,
    deps,
    github,
    environment,
    user: { id: user.id },
    async deliver(event, payload, deliveryId) {
      const delivery = await signedDelivery(event, payload, webhookSecret, deliveryId)
      const response = await fetch(`${url}/github/webhooks`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      })
      return {
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
        deliveryId: delivery.deliveryId,
      }
    },
    eventWhen: (deliveryId, done) =>
      eventually(async () => {
        const row = await prisma.webhookEvent.findUnique({ where: { deliveryId } })
        if (row === null) return undefined
        const event = { ...row, messages: row.messages as EventRow['messages'] }
        return done(event) ? event : undefined
      }),
    async stop() {
      server.closeAllConnections()
      server.close()
      await stopAll(deps.startables, logger)
      await environment.cleanup()
      await github.stop()
    },
  }
}

/** {@link startBot} with the App installed as `installationId` and that event processed. */
export async function startInstalledBot(
  installationId: number,
  env: Record<string, string> = {},
  options: { worker?: boolean; apiPrefix?: string } = {},
): Promise<RunningBot> {
  const bot = await startBot(env, options)
  bot.github.addInstallation(installationId)
  const answer = await bot.deliver('installation', installationPayload({ installationId }))
  await bot.eventWhen(answer.deliveryId, (event) => event.status === 'succeeded')
  return bot
}

/** The texts of an event's messages, in order. */
export const texts = (row: { messages: { text: string }[] }) =>
  row.messages.map((message) => message.text)
