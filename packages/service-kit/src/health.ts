import { Router } from 'express'
import type { ServiceState } from './service-state.js'

/** One readiness probe: resolves when the dependency answers, rejects (or times out) otherwise. */
export interface HealthCheck {
  readonly name: string
  check(signal: AbortSignal): Promise<void>
}

export interface HealthRouterOptions {
  checks: readonly HealthCheck[]
  state: ServiceState
  /** Per-check deadline; a slow dependency counts as down. */
  timeoutMs?: number
}

interface CheckResult {
  name: string
  ok: boolean
  error?: string
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new Error(`timed out after ${timeoutMs} ms`))
    }, timeoutMs)
  })
  try {
    await Promise.race([check.check(controller.signal), timeout])
    return { name: check.name, ok: true }
  } catch (error) {
    return {
      name: check.name,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * `/healthz` is liveness only (the event loop answers); `/readyz` runs every dependency check and
 * fails as soon as shutdown begins, so traffic drains before the listener closes.
 */
export function createHealthRouter(options: HealthRouterOptions): Router {
  const timeoutMs = options.timeoutMs ?? 1000
  const router = Router()
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' })
  })
  router.get('/readyz', async (_req, res) => {
    if (options.state.shuttingDown) {
      res.status(503).json({ status: 'shutting-down', checks: [] })
      return
    }
    const checks = await Promise.all(options.checks.map((check) => runCheck(check, timeoutMs)))
    const ready = checks.every((check) => check.ok)
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks })
  })
  return router
}
