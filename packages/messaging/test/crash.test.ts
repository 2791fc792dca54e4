import { fork, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBus, eventually, sleep, type Bus } from './fixtures/harness.js'
import { consumerState, storedMessages } from './fixtures/server-state.js'

interface ChildMessage {
  type: 'ready' | 'received'
  id?: string
  msgId?: string
  deliveryCount?: number
}

function nextMessage(child: ChildProcess, type: ChildMessage['type']): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage) => {
      if (message.type !== type) return
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolve(message)
    }
    const onExit = (code: number | null) =>
      reject(new Error(`child exited (${code}) before "${type}"`))
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

describe('a consumer that crashes before acking', () => {
  let dir: string
  let bundle: string
  let bus: Bus
  let child: ChildProcess | undefined

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pinion-crash-'))
    bundle = join(dir, 'crash-consumer.cjs')
    await build({
      entryPoints: [fileURLToPath(new URL('./fixtures/crash-consumer.ts', import.meta.url))],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // Resolve workspace packages to their TypeScript sources, as vitest does.
      conditions: ['@pinion/source'],
      logLevel: 'error',
    })
    bus = await createBus()
  })

  afterAll(async () => {
    child?.kill('SIGKILL')
    await bus?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('leaves the message to be redelivered and processed exactly once by another consumer', async () => {
    child = fork(bundle, [], {
      env: { ...process.env, CRASH_NATS_URL: bus.url, CRASH_NAMESPACE: bus.namespace },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    await nextMessage(child, 'ready')
    const received = nextMessage(child, 'received')
    const first = await bus.messaging.publish(
      'test.jobs',
      { id: 'crash-1' },
      { msgId: 'job-crash-1' },
    )
    // The publisher retrying (e.g. its outbox sweeper) does not create a second message.
    const retry = await bus.messaging.publish(
      'test.jobs',
      { id: 'crash-1' },
      { msgId: 'job-crash-1' },
    )
    expect(retry.duplicate).toBe(true)
    expect(await received).toMatchObject({ id: 'crash-1', msgId: 'job-crash-1', deliveryCount: 1 })

    const exited = new Promise((resolve) => child!.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
    expect(await consumerState(bus, 'JOBS', 'worker-jobs')).toMatchObject({ ackPending: 1 })

    // The survivor records completions keyed by msg id, as a handler writing to a DB would.
    const completions = new Map<string, number>()
    const deliveries: number[] = []
    await bus.track(
      bus.messaging.consume({
        consumer: 'worker-jobs',
        handler: (_job, context) => {
          deliveries.push(context.deliveryCount)
          const key = context.msgId ?? `seq:${context.streamSequence}`
          completions.set(key, (completions.get(key) ?? 0) + 1)
        },
      }),
    )
    await eventually(() => completions.size === 1, 5000, 'redelivery after ack_wait')
    await eventually(async () => (await storedMessages(bus, 'JOBS')) === 0, 3000, 'ack')
    // Well past another ack_wait (1 s): nothing else arrives.
    await sleep(1300)
    expect([...completions]).toEqual([['job-crash-1', 1]])
    expect(deliveries).toEqual([2])
    expect(first.duplicate).toBe(false)
  })
})
