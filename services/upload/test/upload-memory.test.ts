import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { carStream, generated, post } from './helpers/http.js'

const GiB = 1024 ** 3
const MB = 1000 ** 2
let environment: TestEnvironment
let child: ChildProcess
let url: string
let token: string

async function ask<T>(message: string): Promise<T> {
  const answer = once(child, 'message') as Promise<[T]>
  child.send(message)
  return (await answer)[0]
}

beforeAll(async () => {
  environment = await createTestEnvironment({ LOG_LEVEL: 'warn' })
  child = fork(fileURLToPath(new URL('./helpers/server-process.mjs', import.meta.url)), {
    execArgv: [],
    // As deploy/local/start.sh and the service's start script run it: glibc's per-thread malloc
    // arenas (libuv's file-system threads) otherwise keep freed buffers resident.
    env: {
      ...process.env,
      ...environment.env,
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '65536',
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  const [ready] = (await once(child, 'message')) as [
    { url: string; token: string; baselineRss: number },
  ]
  ;({ url, token } = ready)
  console.info(`upload server baseline RSS ${(ready.baselineRss / MB).toFixed(0)} MB`)
})
afterAll(async () => {
  if (child.exitCode === null) {
    child.send('stop')
    await once(child, 'exit')
  }
  await environment.cleanup()
})

describe('memory stays flat whatever the size', () => {
  it.each([
    ['a 1 GiB application/octet-stream', 'application/octet-stream', () => generated(GiB)],
    ['a 1 GiB CAR', 'application/vnd.ipld.car', () => carStream(1024, 1024 * 1024)],
  ])(
    '%s upload keeps the server under 256 MB RSS',
    async (_name, type, body) => {
      await ask('reset')
      const answer = await post(
        `${url}/upload/api/v1/?name=big`,
        { authorization: `Bearer ${token}`, 'content-type': type, 'transfer-encoding': 'chunked' },
        body(),
      )
      expect(answer.status).toBe(202)
      expect(answer.sent).toBeGreaterThanOrEqual(GiB)
      const { peakRss, peakDetail } = await ask<{ peakRss: number; peakDetail: unknown }>('rss')
      console.info(`${_name}: at the peak ${JSON.stringify(peakDetail)}`)
      console.info(`${_name}: peak RSS ${(peakRss / MB).toFixed(0)} MB`)
      expect(peakRss).toBeLessThan(256 * MB)
      // A 1 GiB upload on a loaded 2-core machine: a time limit here only guards against a hang.
    },
    240_000,
  )
})
