import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { buildDeps, createApp, parseAllInOneConfig, type AllInOneDeps } from '@pinion/all-in-one'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, startAll, stopAll } from '@pinion/service-kit'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, type Chromium } from '../src/chromium.js'
import { repoRoot } from '../src/paths.js'

// Issue #6's browser test: the whole stack (the all-in-one app on a random port, a fresh
// database, a local blockstore) driven through the dashboard in headless Chromium. The steps run
// in order and share one signed-in browser, as a user would.

const artifacts = join(repoRoot, 'services/dashboard/test/artifacts')
const logger = createLogger({ service: 'test', level: 'silent' })

let environment: TestEnvironment
let deps: AllInOneDeps
let server: Server
let base: string
let browser: Chromium
let page: Page

beforeAll(async () => {
  // The app is what `pnpm build` put in services/dashboard/web/dist (test.sh builds first).
  if (!existsSync(join(repoRoot, 'services/dashboard/web/dist/index.html')))
    throw new Error('services/dashboard/web/dist is missing: run `pnpm build` first')
  await mkdir(artifacts, { recursive: true })
  environment = await createTestEnvironment()
  deps = await buildDeps(parseAllInOneConfig(environment.env), logger)
  await startAll(deps.startables, logger)
  server = createApp(deps).listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await launchChromium()
  page = await browser.context.newPage()
})

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => server?.close(resolve))
  if (deps !== undefined) await stopAll(deps.startables, logger)
  await environment?.cleanup()
})

describe('the dashboard in Chromium', () => {
  it('serves the built app: a deep link loads index.html and immutable hashed assets', async () => {
    const assets: { url: string; cacheControl: string | undefined; status: number }[] = []
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/assets/'))
        assets.push({
          url: response.url(),
          status: response.status(),
          cacheControl: response.headers()['cache-control'],
        })
    })
    const document = await page.goto(`${base}/pins`)
    expect(document?.status()).toBe(200)
    expect(document?.headers()['cache-control']).toBe('no-cache')
    await page.locator('h1').first().waitFor()
    expect(assets.length).toBeGreaterThanOrEqual(2) // the script and the stylesheet
    for (const asset of assets) {
      expect(asset.status, asset.url).toBe(200)
      expect(asset.cacheControl, asset.url).toContain('immutable')
    }
  })
})
