import { z } from 'zod'

/**
 * Config fragments shared by every service, so a variable has one name and one coercion everywhere.
 * Packages that own a dependency export their own fragment (db, messaging, blockstore, auth); a
 * service's config.ts spreads the fragments' shapes into one `z.object` and calls
 * {@link loadConfigOrExit}.
 */

/** HTTP listener and graceful-shutdown settings. */
export const httpSchema = z.object({
  /** TCP port; 0 picks a free one (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  /**
   * A separate port for `/metrics` (0 picks a free one), so that the public port never serves
   * them; unset, `/metrics` is on PORT (local default).
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The URL users reach the platform at; used in links (gateway URLs in commit statuses, e-mails). */
  PUBLIC_URL: z.url().default('http://localhost:8080'),
  /** Hops of reverse proxies to trust for X-Forwarded-* (Ingress = 1). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Hard deadline for graceful shutdown; keep it below the pod's terminationGracePeriodSeconds. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(25_000),
  /**
   * How long /readyz reports "not ready" before the listener closes, so a load balancer stops
   * sending new requests first (Kubernetes endpoints take a few seconds to update).
   */
  SHUTDOWN_READINESS_DELAY_MS: z.coerce.number().int().min(0).default(0),
})
export type HttpConfig = z.infer<typeof httpSchema>

export const logSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})
export type LogConfig = z.infer<typeof logSchema>

/** Strict boolean from an env string: "true"/"1"/"yes"/"on" or "false"/"0"/"no"/"off"; else an error. */
export const envBoolean = z.stringbool()

/** A comma-separated list in one variable; empty items are dropped. */
export function envList<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(item))
}

/** Thrown by {@link parseConfig}; `problems` name each bad variable and never its value. */
export class ConfigError extends Error {
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

/** Parses `env` against `schema`, collecting every problem (not just the first). */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  // Treat empty strings as unset so `FOO=` in an .env file falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  const result = schema.safeParse(cleaned, { reportInput: false })
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.length > 0 ? issue.path.join('.') : '(config)'
    // Zod's messages describe types and formats, not values; keep only that part.
    return `${name}: ${issue.message}`
  })
  throw new ConfigError(problems)
}

/**
 * Parses config or, on failure, prints every problem to stderr and exits 1 before anything opens
 * a socket. For `main.ts` only; tests call {@link parseConfig}.
 */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
  service: string,
): z.infer<S> {
  try {
    return parseConfig(schema, env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`${service}: ${error.message}\n`)
    process.exit(1)
  }
}
