import { connect } from '@nats-io/transport-node'
import {
  retryLater,
  subjectName,
  type ConsumeOptions,
  type ExhaustedInfo,
  type HandlerContext,
  type RetryLater,
} from '@pinion/messaging'
import { BadRequestError } from '@pinion/service-kit'
import { afterEach, describe, expect, it } from 'vitest'
import { createBus, eventually, sleep, type Bus } from './fixtures/harness.js'
import { consumerState, storedMessages } from './fixtures/server-state.js'
import type { Job, TestTopology } from './fixtures/test-topology.js'

interface Call {
  id: string
  deliveryCount: number
  msgId: string | undefined
  at: number
}

type JobConsumer = 'worker-jobs' | 'worker-retries'
type Behaviour = (
  job: Job,
  context: HandlerContext,
) => void | RetryLater | Promise<void | RetryLater>

describe('consume', () => {
  let current: Bus | undefined
  afterEach(async () => {
    await current?.close()
    current = undefined
  })

  /** A fresh bus with one consume loop that records each call, then behaves as told. */
  const startLoop = async (
    consumer: JobConsumer,
    behaviour: Behaviour = () => undefined,
    options: Omit<ConsumeOptions<TestTopology, JobConsumer>, 'consumer' | 'handler'> = {},
  ) => {
    const bus = (current ??= await createBus())
    const calls: Call[] = []
    const loop = await bus.track(
      bus.messaging.consume({
        ...options,
        consumer,
        handler: (job, context) => {
          const { deliveryCount, msgId } = context
          calls.push({ id: job.id, deliveryCount, msgId, at: Date.now() })
          return behaviour(job, context)
        },
      }),
    )
    return { bus, calls, loop }
  }

  const queueEmptied = (bus: Bus) =>
    eventually(async () => (await storedMessages(bus, 'JOBS')) === 0, 5000, 'work queue emptied')

  it('acks a handled message: delivered once, removed from the work queue', async () => {
    const { bus, calls } = await startLoop('worker-jobs')
    await bus.messaging.publish('test.jobs', { id: 'a' }, { msgId: 'job-a' })
    await eventually(() => calls.length === 1, 5000, 'delivery')
    await queueEmptied(bus)
    // Longer than ack_wait (1 s): an unacked message would have come back by now.
    await sleep(1300)
    expect(calls).toMatchObject([{ id: 'a', deliveryCount: 1, msgId: 'job-a' }])
    expect(await consumerState(bus, 'JOBS', 'worker-jobs')).toEqual({
      pending: 0,
      ackPending: 0,
      redelivered: 0,
    })
  })

  it('naks a failed attempt with the backoff delay and handles the redelivery', async () => {
    const { bus, calls } = await startLoop('worker-retries', (_job, context) => {
      if (context.deliveryCount === 1) throw new Error('kubo timed out')
    })
    await bus.messaging.publish('test.retries', { id: 'b' }, { msgId: 'job-b' })
    await eventually(() => calls.length === 2, 5000, 'redelivery')
    const [first, second] = calls
    expect(second).toMatchObject({ id: 'b', deliveryCount: 2, msgId: 'job-b' })
    // Backoff after delivery 1 is 200 ms; ack_wait is 10 s, so only the nak can explain this.
    const gap = second!.at - first!.at
    expect(gap).toBeGreaterThanOrEqual(180)
    expect(gap).toBeLessThan(5000)
    await queueEmptied(bus)
  })

  it('naks with the requested delay when the handler asks to retry later', async () => {
    const { bus, calls } = await startLoop('worker-retries', (_job, context) =>
      context.deliveryCount === 1 ? retryLater(500) : undefined,
    )
    await bus.messaging.publish('test.retries', { id: 'c' }, { msgId: 'job-c' })
    await eventually(() => calls.length === 2, 5000, 'redelivery')
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(480)
    expect(calls[1]!.deliveryCount).toBe(2)
    await queueEmptied(bus)
  })

  it('terminates on a permanent error: one attempt, onExhausted told why', async () => {
    const exhausted: [Job, ExhaustedInfo][] = []
    const { bus, calls } = await startLoop(
      'worker-jobs',
      () => {
        throw new BadRequestError('not a DAG we can pin')
      },
      { onExhausted: (job, info) => void exhausted.push([job, info]) },
    )
    await bus.messaging.publish('test.jobs', { id: 'd' }, { msgId: 'job-d' })
    await eventually(() => exhausted.length === 1, 5000, 'onExhausted')
    await sleep(1300)
    expect(calls).toHaveLength(1)
    expect(exhausted[0]![0]).toEqual({ id: 'd' })
    expect(exhausted[0]![1]).toMatchObject({
      reason: 'permanent',
      deliveryCount: 1,
      msgId: 'job-d',
    })
    expect(exhausted[0]![1].error).toBeInstanceOf(BadRequestError)
    const state = await consumerState(bus, 'JOBS', 'worker-jobs')
    expect(state).toMatchObject({ pending: 0, ackPending: 0 })
    expect(await storedMessages(bus, 'JOBS')).toBe(0)
  })

  it('terminates a message that fails its schema without calling the handler', async () => {
    const { bus, calls } = await startLoop('worker-jobs')
    // Bypass publish's validation, as a buggy or foreign publisher would.
    const raw = await connect({ servers: bus.url })
    await raw.request(subjectName('test.jobs', bus.namespace), '{"id": 42}')
    await raw.request(subjectName('test.jobs', bus.namespace), 'not json')
    await raw.close()
    await bus.messaging.publish('test.jobs', { id: 'after' }, { msgId: 'job-after' })
    await eventually(() => calls.length === 1, 5000, 'valid message')
    await sleep(1300)
    expect(calls.map((call) => call.id)).toEqual(['after'])
    expect(await consumerState(bus, 'JOBS', 'worker-jobs')).toMatchObject({
      pending: 0,
      ackPending: 0,
    })
  })

  it('bounds redeliveries by maxDeliver, then calls onExhausted once', async () => {
    const exhausted: ExhaustedInfo[] = []
    const { bus, calls } = await startLoop(
      'worker-retries',
      () => {
        throw new Error('still failing')
      },
      { onExhausted: (_job, info) => void exhausted.push(info) },
    )
    await bus.messaging.publish('test.retries', { id: 'e' }, { msgId: 'job-e' })
    await eventually(() => exhausted.length === 1, 8000, 'onExhausted')
    // Nothing comes back after the last delivery was given up.
    await sleep(1000)
    expect(calls.map((call) => call.deliveryCount)).toEqual([1, 2, 3])
    expect(exhausted).toHaveLength(1)
    expect(exhausted[0]).toMatchObject({ reason: 'exhausted', deliveryCount: 3, msgId: 'job-e' })
    expect((exhausted[0]!.error as Error).message).toBe('still failing')
    // Termed, not nak'ed: a nak on the last delivery would leave the message ack-pending forever
    // (taking one of max_ack_pending's slots) and stored in the work queue.
    expect(await consumerState(bus, 'JOBS', 'worker-retries')).toMatchObject({ ackPending: 0 })
    expect(await storedMessages(bus, 'JOBS')).toBe(0)
  })

  // 2.5 s of work against worker-jobs' 1 s ack_wait, with two slots so that a redelivery during
  // the task would be handled concurrently and be seen.
  const longTask =
    (progress: boolean): Behaviour =>
    async (_job, context) => {
      for (let step = 0; step < 10; step += 1) {
        await sleep(250)
        if (progress) context.working()
      }
    }

  it('keeps a task that outlives ack_wait to itself with progress acks', async () => {
    const { bus, calls } = await startLoop('worker-jobs', longTask(true), { concurrency: 2 })
    await bus.messaging.publish('test.jobs', { id: 'with-progress' }, { msgId: 'job-f' })
    await eventually(async () => (await storedMessages(bus, 'JOBS')) === 0, 8000, 'ack')
    expect(calls.map((call) => call.deliveryCount)).toEqual([1])
  })

  it('without progress acks the same long task is redelivered (the control case)', async () => {
    const { bus, calls } = await startLoop('worker-jobs', longTask(false), { concurrency: 2 })
    await bus.messaging.publish('test.jobs', { id: 'no-progress' }, { msgId: 'job-g' })
    await eventually(() => calls.length >= 2, 5000, 'redelivery')
    expect(calls[1]!.deliveryCount).toBe(2)
  })

  it('stop() waits for running handlers to finish and settle', async () => {
    let finished = false
    const { bus, calls, loop } = await startLoop('worker-jobs', async () => {
      await sleep(700)
      finished = true
    })
    await bus.messaging.publish('test.jobs', { id: 'h' }, { msgId: 'job-h' })
    await eventually(() => calls.length === 1, 5000, 'handler start')
    expect(loop.inFlight()).toBe(1)
    await loop.stop()
    expect(finished).toBe(true)
    expect(loop.inFlight()).toBe(0)
    // The ack went out before the connection drained: nothing is left to redeliver.
    await eventually(async () => (await storedMessages(bus, 'JOBS')) === 0, 3000, 'ack')
  })

  it('stop() aborts a handler that overruns stopTimeoutMs and offers the message again', async () => {
    let aborted = false
    const first = await startLoop(
      'worker-retries',
      async (_job, context) => {
        await new Promise<void>((resolve) =>
          context.signal.addEventListener('abort', () => resolve()),
        )
        aborted = true
        throw new Error('aborted by shutdown')
      },
      { stopTimeoutMs: 200 },
    )
    await first.bus.messaging.publish('test.retries', { id: 'i' }, { msgId: 'job-i' })
    await eventually(() => first.loop.inFlight() === 1, 5000, 'handler start')
    await first.loop.stop()
    expect(aborted).toBe(true)
    const second = await startLoop('worker-retries')
    // nak(0): the next instance gets it now rather than after the 10 s ack_wait.
    await eventually(() => second.calls.length === 1, 5000, 'immediate redelivery')
    expect(second.calls[0]).toMatchObject({ id: 'i', deliveryCount: 2 })
  })

  it('runs up to `concurrency` handlers at once and never more', async () => {
    let running = 0
    let peak = 0
    const { bus, calls } = await startLoop(
      'worker-jobs',
      async () => {
        running += 1
        peak = Math.max(peak, running)
        await sleep(150)
        running -= 1
      },
      { concurrency: 3 },
    )
    await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        bus.messaging.publish('test.jobs', { id: `j${i}` }, { msgId: `job-j${i}` }),
      ),
    )
    await eventually(() => calls.length === 9 && running === 0, 8000, 'all handled')
    expect(peak).toBe(3)
  })
})
