/**
 * @ipfs-shipyard/pinning-service-compliance@1.8.1 against the running service. Its exit code is
 * always 0, so the verdict is read from the JSON report it writes (pinning-api.md §2).
 *
 * Its CIDs are random raw blocks nobody has, so no backend can ever fetch them, and its name-match
 * check lists without `status` (= pinned only; compliance#245). As pinning-api.md §2.5 plans, the
 * run uses an instant test backend: a loop that marks this user's queued pins pinned, standing in
 * for the worker that would pin content it holds. Everything else is the real service.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPinningApi, type RunningPinningApi } from './helpers/service.js'

const here = dirname(fileURLToPath(import.meta.url))
const serviceDir = join(here, '..')
const cli = join(
  serviceDir,
  'node_modules/@ipfs-shipyard/pinning-service-compliance/dist/src/index.js',
)

let api: RunningPinningApi
let docs: string

beforeAll(async () => {
  api = await startPinningApi()
  docs = await mkdtemp(join(tmpdir(), 'pinion-compliance-'))
})
afterAll(async () => {
  await api.stop()
  await rm(docs, { recursive: true, force: true })
})

describe('pinning-service-compliance', () => {
  it('passes all 9 checks', { timeout: 240_000 }, async () => {
    const user = await api.newUser()
    let stop = false
    const backend = (async () => {
      while (!stop) {
        await api.deps.database.prisma.pin.updateMany({
          where: { userId: user.id, status: 'queued' },
          data: { status: 'pinned' },
        })
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    })()
    let output: { stdout: string; stderr: string }
    try {
      output = await promisify(execFile)(
        process.execPath,
        [
          '--import',
          join(here, 'helpers/compliance-loader.mjs'),
          cli,
          '-s',
          api.endpoint,
          user.token,
        ],
        {
          cwd: docs,
          timeout: 200_000,
          maxBuffer: 64 * 1024 * 1024,
          env: {
            ...process.env,
            PSA_SPEC_PATH: join(here, 'fixtures/ipfs-pinning-service.yaml'),
            PSA_DOCS_DIR: docs,
            npm_package_name: 'pinion-compliance',
          },
        },
      )
    } finally {
      stop = true
      await backend
    }
    const report = JSON.parse(await readFile(join(docs, '127.0.0.1.json'), 'utf8')) as {
      total: number
      passed: number
      failed: number
      success: boolean
    }
    const summary = output.stdout.slice(output.stdout.lastIndexOf('Summary'))
    expect(report, summary).toEqual({ total: 9, passed: 9, failed: 0, success: true })
    // Nothing was skipped for want of the spec (the validators loaded from the local copy).
    expect(output.stdout + output.stderr).not.toContain('Problem running compliance check')
  })
})
