import { startable, type Logger, type Startable } from '@pinion/service-kit'

/**
 * Runs `sweep` once a minute (and once at start, after a crash or an outage): deliveries that
 * were recorded but never reached the queue get queued again.
 */
export function createStaleDeliverySweeper(components: {
  sweep: () => Promise<number>
  logger: Logger
  intervalMs?: number
}): Startable {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  const run = () => {
    running ??= components
      .sweep()
      .then((count) => {
        if (count > 0) components.logger.warn({ count }, 'queued stale webhook deliveries again')
      })
      .catch((error: unknown) =>
        components.logger.warn({ err: error }, 'stale delivery sweep failed'),
      )
      .finally(() => {
        running = undefined
      })
  }
  return startable(
    'github-stale-deliveries',
    () => {
      run()
      timer = setInterval(run, components.intervalMs ?? 60_000)
      timer.unref()
    },
    async () => {
      clearInterval(timer)
      await running
    },
  )
}
