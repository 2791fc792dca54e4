import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeGithub, type FakeGithub } from '@pinion/github-bot/testing'
import { createLogger } from '@pinion/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/index.js'

let github: FakeGithub
let folder: string
beforeAll(async () => {
  github = await startFakeGithub()
  folder = await mkdtemp(join(tmpdir(), 'pinion-cli-github-'))
})
afterAll(async () => {
  await github.stop()
  await rm(folder, { recursive: true, force: true })
})

describe('pinion github register-app', () => {
  it('runs the manifest flow and writes the key and secret files (0600), printing the variables', async () => {
    const out: string[] = []
    const err: string[] = []
    const running = runCli(
      [
        'github',
        'register-app',
        '--public-url',
        'https://pinion.example.org',
        '--web-url',
        github.url,
        '--api-url',
        github.url,
        '--out-dir',
        folder,
      ],
      {
        env: {},
        out: (line) => out.push(line),
        err: (line) => err.push(line),
        logger: createLogger({ service: 'cli-test', level: 'silent' }),
      },
    )
    let page: string | undefined
    for (let tries = 0; page === undefined && tries < 200; tries += 1) {
      page = /Open (\S+) in a browser/.exec(err.join('\n'))?.[1]
      if (page === undefined) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    // The browser's part: the page auto-posts the manifest to GitHub, which redirects back.
    const html = await (await fetch(page ?? '')).text()
    const manifest = (/name="manifest" value="([^"]+)"/.exec(html)?.[1] ?? '').replace(
      /&#(\d+);/g,
      (_, code: string) => String.fromCharCode(Number(code)),
    )
    const action = (/action="([^"]+)"/.exec(html)?.[1] ?? '').replace(/&#38;/g, '&')
    const posted = await fetch(action, {
      method: 'POST',
      body: new URLSearchParams({ manifest }),
      redirect: 'manual',
    })
    expect((await fetch(posted.headers.get('location') ?? '')).status).toBe(200)

    expect(await running).toBe(0)
    const keyFile = join(folder, 'github-app.pem')
    const secretFile = join(folder, 'github-webhook-secret')
    expect(out).toEqual([
      `GITHUB_APP_ID=${github.appId}`,
      `GITHUB_PRIVATE_KEY_FILE=${keyFile}`,
      `GITHUB_WEBHOOK_SECRET_FILE=${secretFile}`,
      `GITHUB_API_URL=${github.url}`,
    ])
    expect(await readFile(keyFile, 'utf8')).toBe(github.privateKeyPem)
    expect((await readFile(secretFile, 'utf8')).trim()).toMatch(/^[0-9a-f]{40}$/)
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
    // Secrets go to files only, never to the terminal.
    expect([...out, ...err].join('\n')).not.toContain('PRIVATE KEY')
  })
})
