import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedDelivery } from '../src/testing.js'
import { startBot, texts, type RunningBot } from './helpers/bot.js'
import {
  exampleAccount,
  exampleRepository,
  installationPayload,
  installationRepositoriesPayload,
  pingPayload,
  pushPayload,
} from './helpers/payloads.js'

let bot: RunningBot
const installationId = 4242

beforeAll(async () => {
  bot = await startBot()
  bot.github.addInstallation(installationId)
})
afterAll(() => bot.stop())

describe('POST /github/webhooks', () => {
  it('refuses a bad or missing signature with 401 and records nothing', async () => {
    const delivery = await signedDelivery('ping', pingPayload(), 'not the secret')
    const wrong = await fetch(`${bot.url}/github/webhooks`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toEqual({
      error: {
        reason: 'UNAUTHORIZED',
        details: 'X-Hub-Signature-256 does not match the body and the webhook secret',
      },
    })
    const { 'x-hub-signature-256': _signature, ...unsigned } = delivery.headers
    const missing = await fetch(`${bot.url}/github/webhooks`, {
      method: 'POST',
      headers: unsigned,
      body: delivery.body,
    })
    expect(missing.status).toBe(401)
    // A body changed after signing does not verify either.
    const good = await signedDelivery('ping', pingPayload(), 'It’s a Secret to Everybody')
    const tampered = await fetch(`${bot.url}/github/webhooks`, {
      method: 'POST',
      headers: good.headers,
      body: good.body.replace('"zen"', '"zen "'),
    })
    expect(tampered.status).toBe(401)
    const rows = await bot.deps.database.prisma.webhookEvent.count({
      where: { deliveryId: { in: [delivery.deliveryId, good.deliveryId] } },
    })
    expect(rows).toBe(0)
  })

  it('answers 400 without X-GitHub-Event, recording nothing', async () => {
    const delivery = await signedDelivery('ping', pingPayload(), 'It’s a Secret to Everybody')
    const { 'x-github-event': _event, ...headers } = delivery.headers
    const response = await fetch(`${bot.url}/github/webhooks`, {
      method: 'POST',
      headers,
      body: delivery.body,
    })
    expect(response.status).toBe(400)
    expect(
      await bot.deps.database.prisma.webhookEvent.count({
        where: { deliveryId: delivery.deliveryId },
      }),
    ).toBe(0)
  })

  it('records a ping, answers 202 and processes it', async () => {
    const answer = await bot.deliver('ping', pingPayload())
    expect(answer.status).toBe(202)
    expect(answer.body).toEqual({ deliveryId: answer.deliveryId, status: 'queued', queued: true })
    const row = await bot.eventWhen(answer.deliveryId, (event) => event.status === 'succeeded')
    expect(texts(row)).toContain('ping: GitHub reaches this Pinion')
  })

  it('installation created: saves it with its repositories, linked to the GitHub user', async () => {
    const answer = await bot.deliver('installation', installationPayload({ installationId }))
    const row = await bot.eventWhen(answer.deliveryId, (event) => event.status === 'succeeded')
    expect(row.userId).toBe(bot.user.id)
    const installation = await bot.deps.database.prisma.githubInstallation.findUniqueOrThrow({
      where: { id: BigInt(installationId) },
      include: { repositories: true },
    })
    expect(installation).toMatchObject({
      accountLogin: exampleAccount.login,
      accountType: 'User',
      userId: bot.user.id,
    })
    expect(installation.repositories.map((repository) => repository.fullName)).toEqual([
      exampleRepository,
    ])
  })

  it('a redelivery of a succeeded event does nothing; of a failed one, runs again', async () => {
    const sha = 'c0ffee'.padEnd(40, '1')
    // No pinion.build.yaml parse possible: the file is broken, so the event fails.
    bot.github.setFile(
      exampleRepository,
      sha,
      'pinion.build.yaml',
      'version: 1\nsubdirectories: {paths: ["../up"]}\n',
    )
    const first = await bot.deliver('push', pushPayload({ installationId, sha }))
    const failed = await bot.eventWhen(first.deliveryId, (event) => event.status === 'failed')
    expect(failed.attempts).toBe(1)
    expect(texts(failed)).toContain('  subdirectories.paths[0]: "../up" leaves the repository (..)')
    const failure = bot.github.statuses.find((status) => status.sha === sha)
    expect(failure).toMatchObject({ state: 'failure', context: 'pinion/ipfs' })
    expect(failure?.description).toMatch(
      /^pinion\.build\.yaml is invalid: subdirectories\.paths\[0\]/,
    )

    // The user fixes the file (a test stand-in for "something changed") and GitHub redelivers.
    bot.github.setFile(exampleRepository, sha, 'pinion.build.yaml', 'version: 1\n')
    const again = await bot.deliver('push', pushPayload({ installationId, sha }), first.deliveryId)
    expect(again.status).toBe(202)
    expect(again.body).toMatchObject({ queued: true })
    const rerun = await bot.eventWhen(first.deliveryId, (event) => event.status === 'ignored')
    expect(rerun.attempts).toBe(2)
    expect(texts(rerun)).toContain('redelivered after failed: queued again')
    expect(texts(rerun)).toContain(
      'pinion.build.yaml has no subdirectories section: nothing to pin on push',
    )

    const third = await bot.deliver('push', pushPayload({ installationId, sha }), first.deliveryId)
    expect(third.body).toEqual({ deliveryId: first.deliveryId, status: 'ignored', queued: false })
    const final = await bot.eventWhen(first.deliveryId, (event) =>
      texts(event).includes('redelivered: already ignored, nothing to do'),
    )
    expect(final.attempts).toBe(2)
    expect(
      await bot.deps.database.prisma.webhookEvent.count({
        where: { deliveryId: first.deliveryId },
      }),
    ).toBe(1)
  })

  it('a push to another branch than the configured one is ignored, with the reason', async () => {
    const sha = 'feedbeef'.padEnd(40, '2')
    bot.github.setFile(
      exampleRepository,
      sha,
      'pinion.build.yaml',
      'version: 1\nsubdirectories:\n  paths: [docs]\n',
    )
    const answer = await bot.deliver(
      'push',
      pushPayload({ installationId, sha, ref: 'refs/heads/feature' }),
    )
    const row = await bot.eventWhen(answer.deliveryId, (event) => event.status === 'ignored')
    expect(texts(row)).toContain(
      'refs/heads/feature is not the monitored branch main: nothing to do',
    )
    expect(bot.github.statuses.filter((status) => status.sha === sha)).toEqual([])
  })

  it('no pinion.build.yaml: nothing to do', async () => {
    const sha = 'abcdef0'.padEnd(40, '3')
    const answer = await bot.deliver('push', pushPayload({ installationId, sha }))
    const row = await bot.eventWhen(answer.deliveryId, (event) => event.status === 'ignored')
    expect(texts(row)).toContain(`no pinion.build.yaml at ${sha.slice(0, 7)}: nothing to do`)
  })

  it('a delivery recorded but never queued (NATS was down) is queued again by the sweeper', async () => {
    const deliveryId = `stale-${Date.now()}`
    const row = await bot.deps.database.prisma.webhookEvent.create({
      data: { deliveryId, event: 'ping', payload: pingPayload() as object, status: 'received' },
    })
    await bot.deps.database.prisma
      .$executeRaw`UPDATE webhook_events SET updated_at = now() - interval '10 minutes' WHERE id = ${row.id}::uuid`
    expect(await bot.deps.sweepStaleDeliveries()).toBeGreaterThanOrEqual(1)
    const done = await bot.eventWhen(deliveryId, (event) => event.status === 'succeeded')
    expect(texts(done)).toEqual(
      expect.arrayContaining([
        'not processed yet: queued again',
        'ping: GitHub reaches this Pinion',
      ]),
    )
  })

  it('installation_repositories, suspend and delete keep the installation rows current', async () => {
    const id = 4343
    const prisma = bot.deps.database.prisma
    const created = await bot.deliver('installation', installationPayload({ installationId: id }))
    await bot.eventWhen(created.deliveryId, (event) => event.status === 'succeeded')
    const changed = await bot.deliver('installation_repositories', {
      ...installationRepositoriesPayload(id),
      repositories_added: [{ id: 9001, full_name: 'Codertocat/Another' }],
      repositories_removed: [{ id: 186853002, full_name: exampleRepository }],
    })
    await bot.eventWhen(changed.deliveryId, (event) => event.status === 'succeeded')
    const repositories = await prisma.githubInstallationRepository.findMany({
      where: { installationId: BigInt(id) },
    })
    expect(repositories.map((repository) => repository.fullName)).toEqual(['Codertocat/Another'])

    const suspended = await bot.deliver(
      'installation',
      installationPayload({ installationId: id, action: 'suspend' }),
    )
    await bot.eventWhen(suspended.deliveryId, (event) => event.status === 'succeeded')
    expect(
      (await prisma.githubInstallation.findUniqueOrThrow({ where: { id: BigInt(id) } }))
        .suspendedAt,
    ).not.toBeNull()
    const sha = 'deadbee'.padEnd(40, '4')
    bot.github.addInstallation(id)
    bot.github.setFile(
      exampleRepository,
      sha,
      'pinion.build.yaml',
      'version: 1\nsubdirectories:\n  paths: [docs]\n',
    )
    const push = await bot.deliver('push', pushPayload({ installationId: id, sha }))
    const ignored = await bot.eventWhen(push.deliveryId, (event) => event.status === 'ignored')
    expect(texts(ignored)).toContain('the installation for Codertocat is suspended: nothing to do')

    const deleted = await bot.deliver(
      'installation',
      installationPayload({ installationId: id, action: 'deleted' }),
    )
    await bot.eventWhen(deleted.deliveryId, (event) => event.status === 'succeeded')
    expect(await prisma.githubInstallation.count({ where: { id: BigInt(id) } })).toBe(0)
    expect(
      await prisma.githubInstallationRepository.count({ where: { installationId: BigInt(id) } }),
    ).toBe(0)
  })
})
