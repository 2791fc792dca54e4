import type { PinStatusChanged } from '@pinion/messaging'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import { buildDeps, ConfigSchema, type WorkerDeps } from '../../src/index.js'

/** A worker running in this process on a fresh database, NATS namespace and blockstore. */
export interface RunningWorker {
  readonly deps: WorkerDeps
  readonly environment: TestEnvironment
  /** Every `pinion.pins.status` event seen since start, in stream order. */
  readonly events: PinStatusChanged[]
  stop(): Promise<void>
}

/** Test defaults: a quick sweeper (tests wait for eventual states, never for timings). */
export const quickSweeper = {
  SWEEP_INTERVAL_MS: '300',
  SWEEP_OUTBOX_GRACE_MS: '500',
}

/** Starts the worker's deps (consumers, sweeper, clients) with `env` over the test environment. */
export async function startWorker(
  env: Record<string, string> = {},
  environment?: TestEnvironment,
): Promise<RunningWorker> {
  const own = environment ?? (await createTestEnvironment({ ...quickSweeper, ...env }))
  const logger = createLogger({ service: 'worker-test', level: own.env.LOG_LEVEL ?? 'silent' })
  const deps = await buildDeps(parseConfig(ConfigSchema, { ...own.env, ...env }), logger)
  const events: PinStatusChanged[] = []
  deps.startables.push(
    deps.messaging.listen({
      subject: 'pinion.pins.status',
      since: new Date(0),
      handler: (event) => {
        events.push(event)
      },
    }),
  )
  await startAll(deps.startables, logger)
  return {
    deps,
    environment: own,
    events,
    async stop() {
      await stopAll(deps.startables, logger)
      if (environment === undefined) await own.cleanup()
    },
  }
}

/** Polls `probe` until it returns a value other than undefined/false; fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 60_000, what = 'condition' }: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const start = Date.now()
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined && value !== false) return value
    } catch (error) {
      last = error
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out waiting for ${what}`, { cause: last })
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
