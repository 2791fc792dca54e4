import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startInstalledBot, type RunningBot } from './helpers/bot.js'
import { exampleRepository, pushPayload } from './helpers/payloads.js'

let bot: RunningBot
const installationId = 8484

beforeAll(async () => {
  // GitHub Enterprise Server serves the REST API under /api/v3: GITHUB_API_URL=https://HOST/api/v3.
  bot = await startInstalledBot(installationId, {}, { apiPrefix: '/api/v3' })
})
afterAll(() => bot.stop())

describe('GitHub Enterprise Server', () => {
  it('tokens, config, tarball and statuses all go through GITHUB_API_URL’s /api/v3', async () => {
    expect(bot.github.url).toMatch(/\/api\/v3$/)
    const sha = '8'.repeat(40)
    bot.github.setFile(
      exampleRepository,
      sha,
      'pinion.build.yaml',
      'version: 1\nsubdirectories:\n  paths: [docs]\n',
    )
    await bot.github.setTree(exampleRepository, sha, [{ path: 'docs/a.md', content: 'ghes\n' }])
    const answer = await bot.deliver('push', pushPayload({ installationId, sha }))
    await bot.eventWhen(answer.deliveryId, (event) => event.status === 'succeeded')
    expect(
      bot.github.statuses.filter((status) => status.sha === sha).map((status) => status.state),
    ).toEqual(['pending'])
    expect(
      await bot.deps.database.prisma.pin.count({
        where: { name: `${exampleRepository}@${sha}:docs` },
      }),
    ).toBe(1)
    expect(bot.github.tokensIssued()).toBe(1)
  })
})
