import type { Logger } from 'pino'

/**
 * A long-lived dependency (database pool, NATS connection, consumer loop). Services list them in
 * start order; they are stopped in reverse, so a consumer finishes its in-flight work before the NATS
 * connection drains and the database closes.
 *
 * `start` must not block on an unreachable dependency: connect in the background and let readiness
 * report it, so a service whose database is down stays up (not ready) instead of crash-looping.
 */
export interface Startable {
  readonly name: string
  start(): Promise<void>
  stop(): Promise<void>
}

/** Starts each in order; if one fails, stops the ones already started and rethrows. */
export async function startAll(startables: readonly Startable[], logger: Logger): Promise<void> {
  const started: Startable[] = []
  for (const startable of startables) {
    try {
      await startable.start()
      started.push(startable)
      logger.debug({ component: startable.name }, 'started')
    } catch (error) {
      logger.error({ err: error, component: startable.name }, 'start failed')
      await stopAll(started, logger)
      throw error
    }
  }
}

/** Stops each in reverse order; a failing stop is logged and does not prevent the others. */
export async function stopAll(startables: readonly Startable[], logger: Logger): Promise<void> {
  for (const startable of [...startables].reverse()) {
    try {
      await startable.stop()
      logger.debug({ component: startable.name }, 'stopped')
    } catch (error) {
      logger.error({ err: error, component: startable.name }, 'stop failed')
    }
  }
}

/** A Startable made from two functions, for small things that need no class. */
export function startable(
  name: string,
  start: () => Promise<void> | void,
  stop: () => Promise<void> | void,
): Startable {
  return {
    name,
    start: async () => {
      await start()
    },
    stop: async () => {
      await stop()
    },
  }
}

/** What {@link periodicTask} runs. */
export interface PeriodicTaskInit {
  name: string
  everyMs: number
  /** One pass; never runs twice at once (a pass still running when the next is due is skipped). */
  run: () => Promise<void>
  /** Also run a pass at start (default false: the first comes after `everyMs`). */
  runAtStart?: boolean
  /** Told about a failed pass; the task keeps its schedule. */
  onError: (error: unknown) => void
}

/**
 * A Startable that runs `run` every `everyMs` while the service runs (clean-ups, sweeps). The timer
 * never keeps a process alive; stop() waits for a pass in progress.
 */
export function periodicTask(init: PeriodicTaskInit): Startable {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  const pass = () => {
    running ??= init
      .run()
      .catch(init.onError)
      .finally(() => {
        running = undefined
      })
  }
  return startable(
    init.name,
    () => {
      if (init.runAtStart) pass()
      timer = setInterval(pass, init.everyMs)
      timer.unref()
    },
    async () => {
      clearInterval(timer)
      await running
    },
  )
}
