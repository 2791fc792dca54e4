import { addUsage, createUser, nextPinCreated } from '@pinion/db'
import type { GithubDelivery } from '@pinion/messaging'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from './helpers/browser.js'
import { startTestDashboard, type TestDashboard } from './helpers/dashboard.js'

let dashboard: TestDashboard

beforeAll(async () => {
  dashboard = await startTestDashboard({
    GITHUB_APP_SLUG: 'pinion-test',
    QUOTA_MAX_GATEWAY_BYTES_PER_MONTH: '1000000',
  })
})
afterAll(() => dashboard.close())

async function signedIn(email: string): Promise<{ browser: Browser; id: string }> {
  const browser = dashboard.browser()
  await browser.signUp(email)
  const user = (await browser.session()).user
  if (user === null) throw new Error('not signed in')
  return { browser, id: user.id }
}

async function webhookEvent(userId: string | null, deliveryId: string, at: Date) {
  return dashboard.environment.database.prisma.webhookEvent.create({
    data: {
      deliveryId,
      event: 'release',
      action: 'published',
      installationId: 77n,
      repositoryFullName: 'octo/hello',
      userId,
      payload: {},
      status: 'failed',
      attempts: 2,
      messages: [{ at: at.toISOString(), level: 'error', text: 'asset too large' }],
      createdAt: at,
    },
  })
}

describe('GitHub pages', () => {
  it('lists installations and events of the user only, newest first, with paging', async () => {
    const ada = await signedIn('gh-ada@example.org')
    const bob = await signedIn('gh-bob@example.org')
    const prisma = dashboard.environment.database.prisma
    await prisma.githubInstallation.create({
      data: {
        id: 77n,
        accountLogin: 'octo',
        accountType: 'Organization',
        userId: ada.id,
        repositories: {
          create: [
            { repoId: 2n, fullName: 'octo/world' },
            { repoId: 1n, fullName: 'octo/hello' },
          ],
        },
      },
    })
    const older = await webhookEvent(ada.id, 'd-1', new Date('2026-01-01T00:00:00Z'))
    const newer = await webhookEvent(ada.id, 'd-2', new Date('2026-01-02T00:00:00Z'))
    await webhookEvent(bob.id, 'd-3', new Date('2026-01-03T00:00:00Z'))

    const installations = await ada.browser.request('GET', '/api/account/github/installations')
    expect(installations.body).toEqual({
      results: [
        {
          id: 77,
          accountLogin: 'octo',
          accountType: 'Organization',
          repositories: ['octo/hello', 'octo/world'],
        },
      ],
    })
    expect((await bob.browser.request('GET', '/api/account/github/installations')).body).toEqual({
      results: [],
    })
    const url = await ada.browser.request('GET', '/api/account/github/install-url')
    expect((url.body as { url: string }).url).toBe(
      'https://github.com/apps/pinion-test/installations/new',
    )

    const first = await ada.browser.request('GET', '/api/account/github/events?limit=1')
    const page = (first.body as { results: { id: string; createdAt: string }[] }).results
    expect(page.map((e) => e.id)).toEqual([newer.id])
    expect(first.body).toMatchObject({
      results: [
        {
          deliveryId: 'd-2',
          event: 'release',
          action: 'published',
          repository: 'octo/hello',
          status: 'failed',
          messages: [{ level: 'error', text: 'asset too large' }],
          processedAt: null,
        },
      ],
    })
    const second = await ada.browser.request(
      'GET',
      `/api/account/github/events?limit=1&before=${encodeURIComponent(page[0]?.createdAt ?? '')}`,
    )
    expect((second.body as { results: { id: string }[] }).results.map((e) => e.id)).toEqual([
      older.id,
    ])
  })

  it("re-runs an event: status queued and a delivery message; another user's event is 404", async () => {
    const owner = await signedIn('gh-rerun@example.org')
    const other = await signedIn('gh-other@example.org')
    const event = await webhookEvent(owner.id, 'd-rerun', new Date())
    const received: GithubDelivery[] = []
    // The github-bot's durable consumer (the stream is a work queue: one processor takes each).
    const listener = dashboard.deps.messaging.consume({
      consumer: 'github-bot-deliveries',
      handler: (delivery) => {
        received.push(delivery)
      },
    })
    await listener.start()
    try {
      const refused = await other.browser.request(
        'POST',
        `/api/account/github/events/${event.id}/rerun`,
      )
      expect(refused.status).toBe(404)
      const prisma = dashboard.environment.database.prisma
      expect((await prisma.webhookEvent.findUnique({ where: { id: event.id } }))?.status).toBe(
        'failed',
      )

      const noCsrf = await owner.browser.request(
        'POST',
        `/api/account/github/events/${event.id}/rerun`,
        { csrf: false },
      )
      expect(noCsrf.status).toBe(403)

      const rerun = await owner.browser.request(
        'POST',
        `/api/account/github/events/${event.id}/rerun`,
      )
      expect(rerun.status).toBe(202)
      expect((await prisma.webhookEvent.findUnique({ where: { id: event.id } }))?.status).toBe(
        'queued',
      )
      const deadline = Date.now() + 10_000
      while (received.length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50))
      expect(received).toEqual([
        {
          deliveryId: 'd-rerun',
          event: 'release',
          action: 'published',
          installationId: 77,
          webhookEventId: event.id,
          receivedAt: event.createdAt.toISOString(),
        },
      ])
    } finally {
      await listener.stop()
    }
  })
})

describe('usage', () => {
  it('reports stored bytes, pins and gateway bytes per day, totals and limits', async () => {
    const { browser, id } = await signedIn('usage@example.org')
    const prisma = dashboard.environment.database.prisma
    const now = new Date()
    const yesterday = new Date(now.getTime() - 86_400_000)
    await addUsage(prisma, id, 'stored_bytes', 1000, yesterday)
    await addUsage(prisma, id, 'stored_bytes', 500, now)
    await addUsage(prisma, id, 'gateway_bytes', 42, yesterday)
    await addUsage(prisma, id, 'gateway_bytes', 8, now)
    await prisma.$transaction(async (tx) => {
      const created = await nextPinCreated(tx, id)
      await tx.pin.create({ data: { userId: id, cid: 'bafyfake', cidKey: 'bafyfake', created } })
    })
    const other = await createUser(prisma, { email: 'usage-other@example.org', displayName: 'O' })
    await addUsage(prisma, other.id, 'stored_bytes', 999_999, now)

    const answer = await browser.request('GET', '/api/account/usage?days=2')
    expect(answer.status).toBe(200)
    const report = answer.body as {
      days: { date: string; storedBytes: number; pinCount: number; gatewayBytes: number }[]
      totals: unknown
      limits: unknown
    }
    expect(report.days).toEqual([
      {
        date: yesterday.toISOString().slice(0, 10),
        storedBytes: 1000,
        pinCount: 0,
        gatewayBytes: 42,
      },
      { date: now.toISOString().slice(0, 10), storedBytes: 1500, pinCount: 1, gatewayBytes: 8 },
    ])
    expect(report.totals).toEqual({
      storedBytes: 1500,
      pinCount: 1,
      gatewayBytesThisMonth: now.getUTCDate() === 1 ? 8 : 50,
    })
    expect(report.limits).toEqual({
      maxPins: null,
      maxStoredBytes: null,
      maxGatewayBytesPerMonth: 1_000_000,
    })
    expect((await browser.request('GET', '/api/account/usage?days=0')).status).toBe(400)
  })
})
