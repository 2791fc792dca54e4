import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startInstalledBot, texts, type RunningBot } from './helpers/bot.js'
import { exampleRepository, releasePayload } from './helpers/payloads.js'

let bot: RunningBot
const installationId = 6262

beforeAll(async () => {
  bot = await startInstalledBot(installationId)
})
afterAll(() => bot.stop())

/** The CID `ipfs add --cid-version=1` gives a file smaller than one chunk: its raw block. */
async function rawCid(content: string): Promise<string> {
  return CID.createV1(raw.code, await sha256.digest(Buffer.from(content))).toString()
}

describe('release published', () => {
  it('pins matching assets, including ones uploaded after the event, and source archives', async () => {
    const tag = 'v1.0.0'
    bot.github.setFile(
      exampleRepository,
      tag,
      'pinion.build.yaml',
      'version: 1\nreleases:\n  patterns: ["*.tar.gz"]\n  include_source_code: true\n',
    )
    await bot.github.setTree(exampleRepository, tag, [
      { path: 'src/main.c', content: 'int main() {}\n' },
    ])
    const early = { id: 901, name: 'app-linux.tar.gz', content: 'linux build\n' }
    const late = { id: 902, name: 'app-darwin.tar.gz', content: 'darwin build\n' }
    const notes = { id: 903, name: 'notes.txt', content: 'not matching\n' }
    // Published with one asset; the release tool then uploads two more (one still uploading at first).
    bot.github.setRelease(exampleRepository, {
      id: 77,
      tag,
      versions: [
        [early, { ...late, state: 'new' }],
        [early, late, notes],
      ],
    })
    const answer = await bot.deliver(
      'release',
      releasePayload({
        installationId,
        releaseId: 77,
        tag,
        assets: [{ id: early.id, name: early.name, size: 12 }],
      }),
    )
    expect(answer.status).toBe(202)
    const row = await bot.eventWhen(answer.deliveryId, (event) => event.status === 'succeeded')
    expect(row.userId).toBe(bot.user.id)

    const pins = await bot.deps.database.prisma.pin.findMany({
      where: { name: { startsWith: `${exampleRepository}@${tag}:` } },
      orderBy: { created: 'asc' },
    })
    expect(pins.map((pin) => pin.name?.split(':')[1])).toEqual([
      'app-linux.tar.gz',
      'app-darwin.tar.gz',
      'Hello-World-v1.0.0.tar.gz',
      'Hello-World-v1.0.0.zip',
    ])
    expect(pins[0]).toMatchObject({
      cid: await rawCid(early.content),
      status: 'pinning',
      source: 'github',
    })
    expect(pins[1]).toMatchObject({ cid: await rawCid(late.content) })
    for (const pin of pins) expect(await bot.deps.blockstore.has(CID.parse(pin.cid))).toBe(true)
    expect(texts(row)).toContain('not matching the patterns: notes.txt')
    expect(texts(row)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^release read again after \d+ s: 2 asset\(s\), 1 still uploading$/),
      ]),
    )

    // Assets and archives were fetched from the second host, never with our token.
    const downloads = bot.github.objectRequests.filter((request) =>
      request.path.startsWith('/assets/'),
    )
    expect(downloads.map((request) => request.path).sort()).toEqual(['/assets/901', '/assets/902'])
    expect(bot.github.objectRequests.length).toBeGreaterThanOrEqual(4)
    for (const request of bot.github.objectRequests) expect(request.authorization).toBeUndefined()
    // No commit status for a release: releases have no commit to attach it to.
    expect(bot.github.statuses).toEqual([])
  })

  it('another action than published is ignored', async () => {
    const payload = {
      ...releasePayload({ installationId, releaseId: 78, tag: 'v2' }),
      action: 'edited',
    }
    const answer = await bot.deliver('release', payload)
    const row = await bot.eventWhen(answer.deliveryId, (event) => event.status === 'ignored')
    expect(texts(row)).toContain('release edited: only published releases are pinned')
  })

  it('an asset over the size limit fails the event and is not downloaded', async () => {
    const tag = 'v3.0.0'
    bot.github.setFile(exampleRepository, tag, 'pinion.build.yaml', 'version: 1\nreleases: {}\n')
    const content = 'x'.repeat(64)
    bot.github.setRelease(exampleRepository, {
      id: 79,
      tag,
      versions: [[{ id: 931, name: 'big.bin', content }]],
    })
    const before = bot.github.objectRequests.length
    const answer = await bot.deliver(
      'release',
      // The payload claims a size beyond the limit (GITHUB_MAX_DOWNLOAD_BYTES is 2 GiB).
      releasePayload({
        installationId,
        releaseId: 79,
        tag,
        assets: [{ id: 931, name: 'big.bin', size: 3 * 1024 ** 3 }],
      }),
    )
    const row = await bot.eventWhen(answer.deliveryId, (event) => event.status === 'failed')
    expect(texts(row)).toContain('big.bin is larger than the 2147483648-byte limit: not pinned')
    expect(bot.github.objectRequests.length).toBe(before)
  })

  it('a digest mismatch fails the file; a redelivery runs again and keeps what was pinned', async () => {
    const tag = 'v4.0.0'
    bot.github.setFile(exampleRepository, tag, 'pinion.build.yaml', 'version: 1\nreleases: {}\n')
    const good = { id: 941, name: 'good.bin', content: 'good bytes\n' }
    const bad = { id: 942, name: 'bad.bin', content: 'tampered bytes\n' }
    bot.github.setRelease(exampleRepository, { id: 80, tag, versions: [[good, bad]] })
    const payload = releasePayload({
      installationId,
      releaseId: 80,
      tag,
      assets: [
        { id: good.id, name: good.name, size: 11 },
        { id: bad.id, name: bad.name, size: 15, digest: `sha256:${'0'.repeat(64)}` },
      ],
    })
    const first = await bot.deliver('release', payload)
    const failed = await bot.eventWhen(first.deliveryId, (event) => event.status === 'failed')
    expect(texts(failed)).toContain('bad.bin: bad.bin does not match its sha256 digest')
    const again = await bot.deliver('release', payload, first.deliveryId)
    expect(again.body).toMatchObject({ queued: true })
    const rerun = await bot.eventWhen(
      first.deliveryId,
      (event) => event.status === 'failed' && event.attempts === 2,
    )
    const goodPins = await bot.deps.database.prisma.pin.findMany({
      where: { name: `${exampleRepository}@${tag}:good.bin` },
    })
    expect(goodPins).toHaveLength(1)
    expect(texts(rerun)).toContain(
      `good.bin → ${goodPins[0]?.cid} (already pinned, pin ${goodPins[0]?.id})`,
    )
    expect(
      await bot.deps.database.prisma.pin.count({
        where: { name: `${exampleRepository}@${tag}:bad.bin` },
      }),
    ).toBe(0)
  })

  it('one installation token served every request of this file (cached by the App client)', () => {
    expect(bot.github.tokensIssued()).toBe(1)
  })
})
