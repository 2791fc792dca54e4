/**
 * What the images run, without Docker (no engine on our machines): the Dockerfile's build stage
 * ends in deploy/docker/assemble.sh, so running that script here yields the same /app folder.
 * The cli image must migrate a fresh database (the Helm migration Job) and a service image must
 * start from its production dependencies alone and become ready against real Postgres, NATS and
 * the stand-in Kubo, then stop cleanly on SIGTERM (what tini forwards).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  cleanupNamespace,
  createDatabase,
  dropDatabase,
  natsUrl,
  startKubo,
  uniqueNamespace,
  type RunningKubo,
} from '@pinion/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../src/paths.js'

const run = promisify(execFile)
let work: string
let databaseUrl: string
let kubo: RunningKubo
const namespace = uniqueNamespace()

const images = ['cli', 'gateway'] as const
const assembled = new Map<string, string>()

/**
 * Builds both packages once, then assembles them side by side (`pnpm deploy` dominates and two
 * turbo builds racing on the same dist/ folders would not be safe).
 */
async function assembleAll(): Promise<void> {
  const options = { cwd: repoRoot, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 }
  const filters = images.map((image) => `--filter=@pinion/${image}...`)
  await run(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only'],
    options,
  )
  await Promise.all(
    images.map(async (image) => {
      const out = join(work, image)
      await run('sh', ['deploy/docker/assemble.sh', image, out, '--no-build'], options)
      assembled.set(image, out)
    }),
  )
}

function assemble(image: (typeof images)[number]): string {
  const out = assembled.get(image)
  if (!out) throw new Error(`${image} was not assembled`)
  return out
}

/** The environment of a container: nothing from this process but PATH. */
const containerEnv = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? '', ...env })

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function waitFor(url: string, ok: (status: number) => boolean, deadlineMs: number) {
  const deadline = Date.now() + deadlineMs
  for (;;) {
    try {
      const response = await fetch(url)
      const body = (await response.json()) as unknown
      if (ok(response.status)) return { status: response.status, body }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer in time`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pinion-image-'))
  ;[databaseUrl, kubo] = await Promise.all([createDatabase(), startKubo()])
  await assembleAll()
})

afterAll(async () => {
  await Promise.all([
    kubo?.stop(),
    databaseUrl ? dropDatabase(databaseUrl) : undefined,
    cleanupNamespace(natsUrl(), namespace),
    work ? rm(work, { recursive: true, force: true }) : undefined,
  ])
})

describe('the cli image (migration Job, Kubo mirror)', () => {
  it('holds the built package and production dependencies only, and migrates a fresh database', async () => {
    const app = assemble('cli')
    const entries = await readdir(app)
    expect(entries).toEqual(expect.arrayContaining(['dist', 'node_modules', 'package.json']))
    for (const source of ['src', 'test', 'tsconfig.json', 'vitest.config.ts'])
      expect(entries, source).not.toContain(source)
    const packages = await readdir(join(app, 'node_modules', '.pnpm'))
    for (const devOnly of ['vitest@', 'typescript@', 'prisma@', '@pinion+testing'])
      expect(
        packages.filter((name) => name.startsWith(devOnly)),
        devOnly,
      ).toEqual([])

    const migrate = () =>
      run('node', ['dist/main.js', 'migrate'], {
        cwd: app,
        env: containerEnv({ DATABASE_URL: databaseUrl }),
      })
    const first = await migrate()
    expect(first.stderr).toMatch(/applied \d+ migration\(s\)/)
    expect((await migrate()).stderr).toContain('database is up to date')
  })
})

describe('a service image', () => {
  it('starts, becomes ready against Postgres, NATS and Kubo, and stops on SIGTERM', async () => {
    const app = assemble('gateway')
    expect(existsSync(join(app, 'src'))).toBe(false)
    const publicKeys = join(work, 'public-keys.json')
    const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' })
    await writeFile(
      publicKeys,
      JSON.stringify({ keys: [{ ...jwk, kid: 'image-test', alg: 'EdDSA', use: 'sig' }] }),
    )
    const port = await freePort()
    const child = spawn('node', ['dist/main.js'], {
      cwd: app,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: containerEnv({
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl(),
        NATS_NAMESPACE: namespace,
        BLOCKSTORE: 'kubo',
        KUBO_RPC_URL: kubo.rpcUrl,
        KUBO_IMPORT_SPOOL_PATH: work,
        AUTH_PUBLIC_KEYS_FILE: publicKeys,
        LOG_LEVEL: 'warn',
      }),
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = exitOf(child)
    try {
      const base = `http://127.0.0.1:${port}`
      expect((await waitFor(`${base}/healthz`, (status) => status === 200, 30_000)).body).toEqual({
        status: 'ok',
      })
      const ready = await waitFor(`${base}/readyz`, (status) => status === 200, 30_000)
      const checks = (ready.body as { checks: { name: string; ok: boolean }[] }).checks
      expect(checks.map((check) => check.name).sort()).toEqual(['database', 'kubo', 'nats'])
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited, stderr).toBe(0)
  })
})
