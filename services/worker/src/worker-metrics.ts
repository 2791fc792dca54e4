import { Counter, type Registry } from 'prom-client'
import type { PinOutcome } from './domain/process-pin-request.js'
import type { SweepReport } from './domain/sweep.js'

/** What the worker counts, beside service-kit's HTTP and process metrics. */
export interface WorkerMetrics {
  /** A request was handled: pinned, failed, skipped, or `retry` (a dependency was down). */
  pinHandled(outcome: PinOutcome | 'retry'): void
  /** One sweeper round's report. */
  swept(report: SweepReport): void
}

/** Registers `pinion_worker_pin_requests_total` and `pinion_worker_sweep_rows_total`. */
export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  const requests = new Counter({
    name: 'pinion_worker_pin_requests_total',
    help: 'Pin requests handled by the worker, by outcome (pinned, failed, skipped, retry)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  })
  const sweep = new Counter({
    name: 'pinion_worker_sweep_rows_total',
    help: 'Rows the sweeper acted on, by part (published, removals, retried, expired, errors)',
    labelNames: ['part'] as const,
    registers: [registry],
  })
  return {
    pinHandled: (outcome) => requests.inc({ outcome }),
    swept(report) {
      for (const [part, count] of Object.entries(report)) {
        if (count > 0) sweep.inc({ part }, count)
      }
    },
  }
}
