import { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, publicUrl, startInstalledBot, texts, type RunningBot } from './helpers/bot.js'
import { exampleRepository, pushPayload } from './helpers/payloads.js'

let bot: RunningBot
const installationId = 5151

// gateway-conformance's path_gateway_tar fixture, made with `ipfs add -Qr --cid-version 1 rootDir`
// (the upload service's tests check the same CID through multipart).
const conformanceTree = [
  { path: 'rootDir/ą/ę/file-źł.txt', content: 'I am a txt file on path with utf8\n' },
  { path: 'rootDir/api/file.txt', content: 'I am a txt file in confusing /api dir\n' },
  { path: 'rootDir/ipfs/file.txt', content: 'I am a txt file in confusing /ipfs dir\n' },
  { path: 'rootDir/ipns/file.txt', content: 'I am a txt file in confusing /ipns dir\n' },
]
const conformanceCid = 'bafybeig6ka5mlwkl4subqhaiatalkcleo4jgnr3hqwvpmsqfca27cijp3i'

beforeAll(async () => {
  bot = await startInstalledBot(installationId)
})
afterAll(() => bot.stop())

const statusesOf = (sha: string) => bot.github.statuses.filter((status) => status.sha === sha)

/** What the worker publishes once a pin is pinned (the worker is not part of this service). */
async function workerReports(pinId: string, status: 'pinned' | 'failed', reason?: string) {
  const pin = await bot.deps.database.prisma.pin.findUniqueOrThrow({ where: { id: pinId } })
  await bot.deps.messaging.publish(
    'pinion.pins.status',
    {
      requestId: pin.id,
      userId: pin.userId,
      status,
      cid: pin.cid,
      ...(reason === undefined ? {} : { info: { reason } }),
      at: new Date().toISOString(),
    },
    { msgId: `pin-status-${pin.id}-${status}` },
  )
}

async function pushCommit(sha: string, config: string, tree: { path: string; content?: string }[]) {
  bot.github.setFile(exampleRepository, sha, 'pinion.build.yaml', config)
  await bot.github.setTree(exampleRepository, sha, tree)
  return bot.deliver('push', pushPayload({ installationId, sha }))
}

describe('push to the monitored branch', () => {
  it('one path: pending, then the CID of ipfs add -r, then success with the CID once pinned', async () => {
    const sha = '1'.repeat(40)
    const answer = await pushCommit(sha, 'version: 1\nsubdirectories:\n  paths: [rootDir/]\n', [
      ...conformanceTree,
      { path: 'rootDir/.secret', content: 'hidden files are left out, as ipfs add -r does' },
      { path: 'README.md', content: 'outside the path' },
    ])
    expect(answer.status).toBe(202)
    const row = await bot.eventWhen(answer.deliveryId, (event) => event.status === 'succeeded')
    expect(row.userId).toBe(bot.user.id)
    expect(statusesOf(sha)).toEqual([
      expect.objectContaining({
        state: 'pending',
        context: 'pinion/ipfs',
        description: 'Pinning rootDir/ to IPFS…',
      }),
    ])
    const pins = await bot.deps.database.prisma.pin.findMany({
      where: { name: `${exampleRepository}@${sha}:rootDir` },
    })
    expect(pins).toHaveLength(1)
    const [pin] = pins
    expect(pin).toMatchObject({
      cid: conformanceCid,
      status: 'pinning',
      source: 'github',
      userId: bot.user.id,
      githubInstallationId: BigInt(installationId),
    })
    expect(texts(row)).toContain(`rootDir/ → ${conformanceCid} (4 files, pin ${pin?.id})`)
    // The DAG is in the blockstore: the gateway can serve it before the worker confirms.
    expect(await bot.deps.blockstore.has(CID.parse(conformanceCid))).toBe(true)

    await workerReports(pin?.id ?? '', 'pinned')
    const success = await eventually(() =>
      statusesOf(sha).find((status) => status.state === 'success'),
    )
    expect(success).toEqual({
      repository: exampleRepository,
      sha,
      state: 'success',
      context: 'pinion/ipfs',
      description: `rootDir/ pinned: ${conformanceCid}`,
      targetUrl: `${publicUrl}/gateway/web/ipfs/${conformanceCid}/`,
    })
    const logged = await bot.eventWhen(answer.deliveryId, (event) =>
      texts(event).includes('rootDir/ pinned: success status posted'),
    )
    expect(logged.status).toBe('succeeded')
  })

  it('several paths: one status context per path, each with its own CID; failures name the path', async () => {
    const sha = '2'.repeat(40)
    const answer = await pushCommit(
      sha,
      'version: 1\nsubdirectories:\n  paths: [site/public, docs, missing]\n',
      [
        { path: 'site/public/index.html', content: '<h1>site</h1>\n' },
        { path: 'docs/guide.md', content: '# guide\n' },
        { path: 'docs/empty' },
      ],
    )
    const row = await bot.eventWhen(answer.deliveryId, (event) => event.status === 'failed')
    expect(texts(row)).toContain(`missing/ does not exist at ${sha.slice(0, 7)}`)
    const contexts = ['pinion/ipfs: site/public/', 'pinion/ipfs: docs/', 'pinion/ipfs: missing/']
    expect(
      statusesOf(sha)
        .filter((status) => status.state === 'pending')
        .map((status) => status.context),
    ).toEqual(contexts)
    expect(statusesOf(sha).find((status) => status.state === 'failure')).toMatchObject({
      context: 'pinion/ipfs: missing/',
      description: `missing/ does not exist at ${sha.slice(0, 7)}`,
    })
    const pins = await bot.deps.database.prisma.pin.findMany({
      where: { name: { startsWith: `${exampleRepository}@${sha}:` } },
      orderBy: { name: 'asc' },
    })
    expect(pins.map((pin) => pin.name)).toEqual([
      `${exampleRepository}@${sha}:docs`,
      `${exampleRepository}@${sha}:site/public`,
    ])
    expect(new Set(pins.map((pin) => pin.cid)).size).toBe(2)
    for (const pin of pins) await workerReports(pin.id, 'pinned')
    await eventually(() =>
      statusesOf(sha).filter((status) => status.state === 'success').length === 2
        ? true
        : undefined,
    )
    const successes = statusesOf(sha).filter((status) => status.state === 'success')
    expect(successes.map((status) => status.context).sort()).toEqual([
      'pinion/ipfs: docs/',
      'pinion/ipfs: site/public/',
    ])
    for (const status of successes)
      expect([...(status.description ?? '')].length).toBeLessThanOrEqual(140)
  })

  it('a failed pin gives a failure status with the worker reason', async () => {
    const sha = '3'.repeat(40)
    const answer = await pushCommit(sha, 'version: 1\nsubdirectories:\n  paths: [docs]\n', [
      { path: 'docs/a.txt', content: 'a\n' },
    ])
    await bot.eventWhen(answer.deliveryId, (event) => event.status === 'succeeded')
    const pin = await bot.deps.database.prisma.pin.findFirstOrThrow({
      where: { name: `${exampleRepository}@${sha}:docs` },
    })
    await workerReports(pin.id, 'failed', 'deadline exceeded')
    const failure = await eventually(() =>
      statusesOf(sha).find((status) => status.state === 'failure'),
    )
    expect(failure).toMatchObject({
      context: 'pinion/ipfs',
      description: 'Pinning docs/ failed: deadline exceeded',
    })
  })

  it('keeps the newest `keep` pins per path and branch and removes older ones', async () => {
    const config = 'version: 1\nsubdirectories:\n  paths: [www]\n  keep: 2\n'
    const shas = ['a', 'b', 'c'].map((char) => char.repeat(40))
    for (const [index, sha] of shas.entries()) {
      const answer = await pushCommit(sha, config, [
        { path: 'www/index.html', content: `version ${index}\n` },
      ])
      await bot.eventWhen(answer.deliveryId, (event) => event.status === 'succeeded')
    }
    const pins = await bot.deps.database.prisma.pin.findMany({
      where: { name: { in: shas.map((sha) => `${exampleRepository}@${sha}:www`) } },
      orderBy: { created: 'asc' },
    })
    expect(pins.map((pin) => pin.deletedAt === null)).toEqual([false, true, true])
    const last = await bot.deps.database.prisma.webhookEvent.findFirstOrThrow({
      orderBy: { createdAt: 'desc' },
      where: { event: 'push' },
    })
    expect(texts({ messages: last.messages as { text: string }[] })).toContain(
      `www/: removed the pin of aaaaaaa (${pins[0]?.cid}), keeping the newest 2`,
    )
  })

  it('retries when GitHub rate-limits (429 retry-after, 403 x-ratelimit-remaining: 0)', async () => {
    const sha = '4'.repeat(40)
    bot.github.setFile(
      exampleRepository,
      sha,
      'pinion.build.yaml',
      'version: 1\nsubdirectories:\n  paths: [docs]\n',
    )
    await bot.github.setTree(exampleRepository, sha, [{ path: 'docs/x.txt', content: 'x\n' }])
    bot.github.rateLimitNext(
      { status: 429, retryAfterSeconds: 1 },
      { status: 403, resetInSeconds: 1 },
    )
    const answer = await bot.deliver('push', pushPayload({ installationId, sha }))
    const row = await bot.eventWhen(answer.deliveryId, (event) => event.status === 'succeeded')
    const warnings = row.messages
      .filter((message) => message.level === 'warn')
      .map((message) => message.text)
    expect(warnings).toEqual([
      expect.stringMatching(/^GitHub rate limit \(429\): retrying in 1 s \(retry 1\)$/),
      expect.stringMatching(/^GitHub rate limit \(403\): retrying in [12] s \(retry 2\)$/),
    ])
    expect(
      bot.github.requests.filter((request) => request.status === 429 || request.status === 403),
    ).toHaveLength(2)
    expect(statusesOf(sha).map((status) => status.state)).toEqual(['pending'])
  })

  it('over the user’s pin quota: a failure status saying so, and no pin', async () => {
    const prisma = bot.deps.database.prisma
    const live = await prisma.pin.count({ where: { userId: bot.user.id, deletedAt: null } })
    await prisma.user.update({ where: { id: bot.user.id }, data: { maxPins: live } })
    try {
      const sha = '5'.repeat(40)
      const answer = await pushCommit(sha, 'version: 1\nsubdirectories:\n  paths: [docs]\n', [
        { path: 'docs/q.txt', content: 'quota\n' },
      ])
      await bot.eventWhen(answer.deliveryId, (event) => event.status === 'failed')
      const failure = statusesOf(sha).find((status) => status.state === 'failure')
      expect(failure?.context).toBe('pinion/ipfs')
      expect(failure?.description).toMatch(/^Pinion quota exceeded: /)
      expect(await prisma.pin.count({ where: { name: `${exampleRepository}@${sha}:docs` } })).toBe(
        0,
      )
    } finally {
      await prisma.user.update({ where: { id: bot.user.id }, data: { maxPins: null } })
    }
  })
})
