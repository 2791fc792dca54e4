import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

/** The system Chromium (deploy/local/test.sh installs it and sets CHROMIUM_PATH); never a download. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

// Headless, no sandbox (CI runs as root in a container), and nothing that talks to Google.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface Chromium {
  readonly context: BrowserContext
  close(): Promise<void>
}

/** Starts Chromium with a fresh user-data directory, removed again by `close()`. */
export async function launchChromium(): Promise<Chromium> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'pinion-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
  })
  return {
    context,
    async close() {
      await context.close()
      await rm(userDataDir, { recursive: true, force: true })
    },
  }
}
