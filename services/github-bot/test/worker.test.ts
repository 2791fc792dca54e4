import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, publicUrl, startInstalledBot, type RunningBot } from './helpers/bot.js'
import { exampleRepository, pushPayload } from './helpers/payloads.js'

let bot: RunningBot
const installationId = 7373

beforeAll(async () => {
  bot = await startInstalledBot(installationId, {}, { worker: true })
})
afterAll(() => bot.stop())

describe('with the real worker in the same process', () => {
  it('a push ends with a success status once the worker has pinned the directory', async () => {
    const sha = '7'.repeat(40)
    bot.github.setFile(
      exampleRepository,
      sha,
      'pinion.build.yaml',
      'version: 1\nsubdirectories:\n  paths: [docs]\n',
    )
    await bot.github.setTree(exampleRepository, sha, [
      { path: 'docs/index.md', content: '# hello\n' },
      { path: 'docs/deep/page.md', content: 'deep\n' },
    ])
    const answer = await bot.deliver('push', pushPayload({ installationId, sha }))
    await bot.eventWhen(answer.deliveryId, (event) => event.status === 'succeeded')
    const success = await eventually(() =>
      bot.github.statuses.find((status) => status.sha === sha && status.state === 'success'),
    )
    const pin = await bot.deps.database.prisma.pin.findFirstOrThrow({
      where: { name: `${exampleRepository}@${sha}:docs` },
    })
    expect(pin.status).toBe('pinned')
    expect(pin.dagSize).not.toBeNull()
    expect(success).toMatchObject({
      context: 'pinion/ipfs',
      description: `docs/ pinned: ${pin.cid}`,
      targetUrl: `${publicUrl}/gateway/web/ipfs/${pin.cid}/`,
    })
    expect(
      bot.github.statuses.filter((status) => status.sha === sha).map((status) => status.state),
    ).toEqual(['pending', 'success'])
  })
})
