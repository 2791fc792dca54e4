import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const fixture = fileURLToPath(new URL('./fixtures/fixture-service.ts', import.meta.url))

interface Run {
  child: ChildProcess
  events: string[]
  stderr: () => string
  exit: Promise<number | null>
  waitFor(event: RegExp): Promise<string>
}

function runFixture(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const events: string[] = []
  let stderr = ''
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = []
  let buffer = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    const lines = buffer.split('\n')
    buffer = lines.pop() ?? ''
    for (const line of lines) {
      if (!line.startsWith('EVENT ')) continue
      const event = line.slice('EVENT '.length)
      events.push(event)
      for (const waiter of waiters.filter((w) => w.pattern.test(event))) waiter.resolve(event)
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    child,
    events,
    stderr: () => stderr,
    exit,
    waitFor: (pattern) =>
      new Promise((resolve) => {
        const seen = events.find((event) => pattern.test(event))
        if (seen) resolve(seen)
        else waiters.push({ pattern, resolve })
      }),
  }
}

describe('service lifecycle (real process)', () => {
  it('exits 1 on invalid config, listing every bad variable by name and no value, before listening', async () => {
    const run = runFixture({
      PORT: 'not-a-port',
      FIXTURE_DATABASE_URL: 'secret-password-not-a-url',
    })
    expect(await run.exit).toBe(1)
    expect(run.stderr()).toContain('PORT')
    expect(run.stderr()).toContain('FIXTURE_DATABASE_URL')
    expect(run.stderr()).not.toContain('secret-password')
    expect(run.events.some((event) => event.startsWith('listening'))).toBe(false)
    expect(run.events).toEqual([])
  })

  it('on SIGTERM fails readiness, finishes in-flight requests, then stops dependencies in reverse', async () => {
    const run = runFixture({
      PORT: '0',
      HOST: '127.0.0.1',
      FIXTURE_DATABASE_URL: 'postgresql://db/x',
    })
    const url = (await run.waitFor(/^listening /)).slice('listening '.length)
    const slow = fetch(`${url}/slow`).then(async (res) => ({
      status: res.status,
      body: await res.json(),
    }))
    await run.waitFor(/slow request started/)
    run.child.kill('SIGTERM')
    expect(await slow).toEqual({ status: 200, body: { done: true } })
    expect(await run.exit).toBe(0)
    expect(run.events.filter((event) => !event.startsWith('listening'))).toEqual([
      'start database',
      'start nats',
      'start consumer',
      'slow request started',
      'slow request answered',
      'consumer finished in-flight work',
      'drain nats',
      'stop database',
    ])
  })

  it('serves /metrics only on METRICS_PORT when it is set, and on the app port when not', async () => {
    const run = runFixture({
      PORT: '0',
      HOST: '127.0.0.1',
      METRICS_PORT: '0',
      FIXTURE_DATABASE_URL: 'postgresql://db/x',
    })
    const metricsUrl = (await run.waitFor(/^metrics /)).slice('metrics '.length)
    const url = (await run.waitFor(/^listening /)).slice('listening '.length)
    expect(metricsUrl).not.toBe(url)
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    const onApp = await fetch(`${url}/metrics`)
    expect(onApp.status).toBe(404)
    expect(((await onApp.json()) as { error: { reason: string } }).error.reason).toBe('NOT_FOUND')
    const scraped = await fetch(`${metricsUrl}/metrics`)
    expect(scraped.status).toBe(200)
    // The request to /healthz above is counted on the metrics port.
    expect(await scraped.text()).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/healthz"/,
    )
    // The metrics port carries nothing else.
    expect((await fetch(`${metricsUrl}/slow`)).status).toBe(404)
    expect((await fetch(`${metricsUrl}/healthz`)).status).toBe(404)
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
    await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow()

    const plain = runFixture({
      PORT: '0',
      HOST: '127.0.0.1',
      FIXTURE_DATABASE_URL: 'postgresql://db/x',
    })
    const plainUrl = (await plain.waitFor(/^listening /)).slice('listening '.length)
    expect(plain.events.some((event) => event.startsWith('metrics '))).toBe(false)
    expect((await fetch(`${plainUrl}/metrics`)).status).toBe(200)
    plain.child.kill('SIGTERM')
    expect(await plain.exit).toBe(0)
  })

  it('forces exit 1 when shutdown exceeds its deadline', async () => {
    const run = runFixture({
      PORT: '0',
      HOST: '127.0.0.1',
      FIXTURE_DATABASE_URL: 'postgresql://db/x',
      FIXTURE_HANG_ON_STOP: 'true',
      SHUTDOWN_TIMEOUT_MS: '300',
    })
    await run.waitFor(/^listening /)
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(1)
    expect(run.events).toContain('consumer hangs')
    expect(run.events).not.toContain('stop database')
  })
})
