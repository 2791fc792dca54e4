import { connect } from '@nats-io/transport-node'
import { retryLater, subjectName, type ExhaustedInfo, type HandlerContext } from '@pinion/messaging'
import { BadRequestError } from '@pinion/service-kit'
import { afterEach, describe, expect, it } from 'vitest'
import { createBus, eventually, sleep, type Bus } from './fixtures/harness.js'
import { consumerState, storedMessages } from './fixtures/server-state.js'
import type { Job } from './fixtures/test-topology.js'

interface Call {
  id: string
  deliveryCount: number
  msgId: string | undefined
  at: number
}

describe('consume', () => {
  let bus: Bus
  afterEach(() => bus?.close())

  const record = (calls: Call[], job: Job, context: HandlerContext) => {
    calls.push({
      id: job.id,
      deliveryCount: context.deliveryCount,
      msgId: context.msgId,
      at: Date.now(),
    })
  }

  it('acks a handled message: delivered once, removed from the work queue', async () => {
    bus = await createBus()
    const calls: Call[] = []
    await bus.track(
      bus.messaging.consume({
        consumer: 'worker-jobs',
        handler: (job, ctx) => record(calls, job, ctx),
      }),
    )
    await bus.messaging.publish('test.jobs', { id: 'a' }, { msgId: 'job-a' })
    await eventually(() => calls.length === 1, 5000, 'delivery')
    await eventually(async () => (await storedMessages(bus, 'JOBS')) === 0, 5000, 'ack')
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
    bus = await createBus()
    const calls: Call[] = []
    await bus.track(
      bus.messaging.consume({
        consumer: 'worker-retries',
        handler: (job, ctx) => {
          record(calls, job, ctx)
          if (ctx.deliveryCount === 1) throw new Error('kubo timed out')
        },
      }),
    )
    await bus.messaging.publish('test.retries', { id: 'b' }, { msgId: 'job-b' })
    await eventually(() => calls.length === 2, 5000, 'redelivery')
    const [first, second] = calls
    expect(second).toMatchObject({ id: 'b', deliveryCount: 2, msgId: 'job-b' })
    // Backoff after delivery 1 is 200 ms; ack_wait is 10 s, so only the nak can explain this.
    const gap = second!.at - first!.at
    expect(gap).toBeGreaterThanOrEqual(180)
    expect(gap).toBeLessThan(5000)
    await eventually(async () => (await storedMessages(bus, 'JOBS')) === 0, 5000, 'ack')
  })

  it('naks with the requested delay when the handler asks to retry later', async () => {
    bus = await createBus()
    const calls: Call[] = []
    await bus.track(
      bus.messaging.consume({
        consumer: 'worker-retries',
        handler: (job, ctx) => {
          record(calls, job, ctx)
          return ctx.deliveryCount === 1 ? retryLater(500) : undefined
        },
      }),
    )
    await bus.messaging.publish('test.retries', { id: 'c' }, { msgId: 'job-c' })
    await eventually(() => calls.length === 2, 5000, 'redelivery')
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(480)
    expect(calls[1]!.deliveryCount).toBe(2)
    await eventually(async () => (await storedMessages(bus, 'JOBS')) === 0, 5000, 'ack')
  })

  it('terminates on a permanent error: one attempt, onExhausted told why', async () => {
    bus = await createBus()
    const calls: Call[] = []
    const exhausted: [Job, ExhaustedInfo][] = []
    await bus.track(
      bus.messaging.consume({
        consumer: 'worker-jobs',
        handler: (job, ctx) => {
          record(calls, job, ctx)
          throw new BadRequestError('not a DAG we can pin')
        },
        onExhausted: (job, info) => {
          exhausted.push([job, info])
        },
      }),
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
  })

  it('terminates a message that fails its schema without calling the handler', async () => {
    bus = await createBus()
    const calls: Call[] = []
    await bus.track(
      bus.messaging.consume({
        consumer: 'worker-jobs',
        handler: (job, ctx) => record(calls, job, ctx),
      }),
    )
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
    bus = await createBus()
    const calls: Call[] = []
    const exhausted: ExhaustedInfo[] = []
    await bus.track(
      bus.messaging.consume({
        consumer: 'worker-retries',
        handler: (job, ctx) => {
          record(calls, job, ctx)
          throw new Error('still failing')
        },
        onExhausted: (_job, info) => {
          exhausted.push(info)
        },
      }),
    )
    await bus.messaging.publish('test.retries', { id: 'e' }, { msgId: 'job-e' })
    await eventually(() => exhausted.length === 1, 8000, 'onExhausted')
    // Nothing comes back after the last delivery was given up.
    await sleep(1000)
    expect(calls.map((call) => call.deliveryCount)).toEqual([1, 2, 3])
    expect(exhausted).toHaveLength(1)
    expect(exhausted[0]).toMatchObject({ reason: 'exhausted', deliveryCount: 3, msgId: 'job-e' })
    expect((exhausted[0]!.error as Error).message).toBe('still failing')
  })

  it('keeps a task that outlives ack_wait to itself with progress acks', async () => {
    bus = await createBus()
    const calls: Call[] = []
    const slowJob = (progress: boolean) => async (job: Job, ctx: HandlerContext) => {
      record(calls, job, ctx)
      // 2.5 s of work against a 1 s ack_wait.
      for (let step = 0; step < 10; step += 1) {
        await sleep(250)
        if (progress) ctx.working()
      }
    }
    // Two slots, so a redelivery during the task would be handled concurrently and be seen.
    await bus.track(
      bus.messaging.consume({ consumer: 'worker-jobs', concurrency: 2, handler: slowJob(true) }),
    )
    await bus.messaging.publish('test.jobs', { id: 'with-progress' }, { msgId: 'job-f' })
    await eventually(async () => (await storedMessages(bus, 'JOBS')) === 0, 8000, 'ack')
    expect(calls.map((call) => call.deliveryCount)).toEqual([1])
  })

  it('without progress acks the same long task is redelivered (the control case)', async () => {
    bus = await createBus()
    const calls: Call[] = []
    await bus.track(
      bus.messaging.consume({
        consumer: 'worker-jobs',
        concurrency: 2,
        handler: async (job, ctx) => {
          record(calls, job, ctx)
          await sleep(2500)
        },
      }),
    )
    await bus.messaging.publish('test.jobs', { id: 'no-progress' }, { msgId: 'job-g' })
    await eventually(() => calls.length >= 2, 5000, 'redelivery')
    expect(calls[1]!.deliveryCount).toBe(2)
  })

  it('stop() waits for running handlers to finish and settle', async () => {
    bus = await createBus()
    let finished = false
    let started = false
    const loop = await bus.track(
      bus.messaging.consume({
        consumer: 'worker-jobs',
        handler: async () => {
          started = true
          await sleep(700)
          finished = true
        },
      }),
    )
    await bus.messaging.publish('test.jobs', { id: 'h' }, { msgId: 'job-h' })
    await eventually(() => started, 5000, 'handler start')
    expect(loop.inFlight()).toBe(1)
    await loop.stop()
    expect(finished).toBe(true)
    expect(loop.inFlight()).toBe(0)
    // The ack went out before the connection drained: nothing is left to redeliver.
    await eventually(async () => (await storedMessages(bus, 'JOBS')) === 0, 3000, 'ack')
  })

  it('stop() aborts a handler that overruns stopTimeoutMs and offers the message again', async () => {
    bus = await createBus()
    let aborted = false
    const loop = await bus.track(
      bus.messaging.consume({
        consumer: 'worker-retries',
        stopTimeoutMs: 200,
        handler: async (_job, ctx) => {
          await new Promise<void>((resolve) =>
            ctx.signal.addEventListener('abort', () => resolve()),
          )
          aborted = true
          throw new Error('aborted by shutdown')
        },
      }),
    )
    await bus.messaging.publish('test.retries', { id: 'i' }, { msgId: 'job-i' })
    await eventually(() => loop.inFlight() === 1, 5000, 'handler start')
    await loop.stop()
    expect(aborted).toBe(true)
    const calls: Call[] = []
    await bus.track(
      bus.messaging.consume({
        consumer: 'worker-retries',
        handler: (job, ctx) => record(calls, job, ctx),
      }),
    )
    // nak(0): the next instance gets it now rather than after the 10 s ack_wait.
    await eventually(() => calls.length === 1, 5000, 'immediate redelivery')
    expect(calls[0]).toMatchObject({ id: 'i', deliveryCount: 2 })
  })

  it('runs up to `concurrency` handlers at once and never more', async () => {
    bus = await createBus()
    let running = 0
    let peak = 0
    let done = 0
    await bus.track(
      bus.messaging.consume({
        consumer: 'worker-jobs',
        concurrency: 3,
        handler: async () => {
          running += 1
          peak = Math.max(peak, running)
          await sleep(150)
          running -= 1
          done += 1
        },
      }),
    )
    await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        bus.messaging.publish('test.jobs', { id: `j${i}` }, { msgId: `job-j${i}` }),
      ),
    )
    await eventually(() => done === 9, 8000, 'all handled')
    expect(peak).toBe(3)
  })
})
