import { ConfigError, httpSchema, logSchema, parseConfig } from '@pinion/service-kit'
import { z } from 'zod'
import { services } from './services.js'

const ProcessSchema = z.object({ ...httpSchema.shape, ...logSchema.shape })

/** The process's own settings plus each service's parsed config, all read from one environment. */
export type Config = z.infer<typeof ProcessSchema> & {
  readonly services: ReadonlyMap<string, unknown>
}

/**
 * Parses the environment once per service (each with its own schema, so a variable means the same
 * thing in both modes) and throws one ConfigError listing every distinct problem.
 */
export function parseAllInOneConfig(env: Record<string, string | undefined>): Config {
  const problems = new Set<string>()
  const parsed = new Map<string, unknown>()
  let own: z.infer<typeof ProcessSchema> | undefined
  try {
    own = parseConfig(ProcessSchema, env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    error.problems.forEach((problem) => problems.add(problem))
  }
  for (const service of services) {
    try {
      parsed.set(service.name, parseConfig(service.ConfigSchema, env))
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      error.problems.forEach((problem) => problems.add(problem))
    }
  }
  if (problems.size > 0 || !own) throw new ConfigError([...problems])
  return { ...own, services: parsed }
}

/** For main.ts: parse or print every problem and exit 1 before anything listens. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  try {
    return parseAllInOneConfig(env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`pinion: ${error.message}\n`)
    process.exit(1)
  }
}
