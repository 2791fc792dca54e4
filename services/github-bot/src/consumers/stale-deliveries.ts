import { periodicTask, type Logger, type Startable } from '@pinion/service-kit'

/**
 * Runs `sweep` once a minute (and once at start, after a crash or an outage): deliveries that
 * were recorded but never reached the queue get queued again.
 */
export function createStaleDeliverySweeper(components: {
  sweep: () => Promise<number>
  logger: Logger
  intervalMs?: number
}): Startable {
  return periodicTask({
    name: 'github-stale-deliveries',
    everyMs: components.intervalMs ?? 60_000,
    runAtStart: true,
    async run() {
      const count = await components.sweep()
      if (count > 0) components.logger.warn({ count }, 'queued stale webhook deliveries again')
    },
    onError: (error) => components.logger.warn({ err: error }, 'stale delivery sweep failed'),
  })
}
