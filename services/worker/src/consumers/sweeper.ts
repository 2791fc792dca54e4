import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger, Startable } from '@pinion/service-kit'
import { sweep, type SweepComponents, type SweepInit, type SweepReport } from '../domain/sweep.js'

export interface SweeperInit extends SweepInit {
  /** Pause between two rounds, in ms. */
  intervalMs: number
  /**
   * Runs a round only if this instance holds the sweeper's lock, e.g. a Postgres advisory lock;
   * resolves false when another instance holds it.
   */
  exclusively(round: () => Promise<void>): Promise<boolean>
  /** Told each round's report (metrics). */
  onReport?: (report: SweepReport) => void
}

/**
 * The sweeper as a Startable: every `intervalMs` one {@link sweep}, on one worker instance at a
 * time. A failing round (database or NATS down) is logged and tried again next interval; stop()
 * waits for a running round to finish.
 */
export function createSweeper(
  components: SweepComponents & { logger: Logger },
  init: SweeperInit,
): Startable {
  const logger = components.logger.child({ component: 'sweeper' })
  let controller: AbortController | undefined
  let loop: Promise<void> | undefined

  const run = async (signal: AbortSignal) => {
    let failures = 0
    while (!signal.aborted) {
      try {
        await init.exclusively(async () => {
          init.onReport?.(await sweep({ ...components, logger }, init))
        })
        if (failures > 0) logger.info({ failures }, 'sweeping again')
        failures = 0
      } catch (error) {
        if (failures === 0) logger.warn({ err: error }, 'sweep failed; retrying next round')
        failures += 1
      }
      await sleep(init.intervalMs, undefined, { signal }).catch(() => {})
    }
  }

  return {
    name: 'sweeper',
    async start() {
      if (loop) return
      controller = new AbortController()
      loop = run(controller.signal)
      logger.info({ intervalMs: init.intervalMs }, 'sweeper started')
    },
    async stop() {
      controller?.abort()
      await loop
      loop = undefined
    },
  }
}
