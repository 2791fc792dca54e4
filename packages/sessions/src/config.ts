import { readFile } from 'node:fs/promises'
import { ConfigError } from '@pinion/service-kit'
import { z } from 'zod'

/**
 * Session settings. Every service that reads the dashboard's cookie (dashboard, gateway, upload,
 * prover) must share `SESSION_SECRET`; without one a process makes a random secret of its own,
 * which is fine for the all-in-one process but logs a warning (sessions end at restart).
 */
export const sessionSchema = z.object({
  /** Signs the `pinion.sid` cookie (express-session). At least 32 characters. */
  SESSION_SECRET: z.string().min(32).optional(),
  /** A file holding the secret (a Kubernetes Secret mount); the alternative to SESSION_SECRET. */
  SESSION_SECRET_FILE: z.string().min(1).optional(),
  /** How long a session lives without use, in hours (default 14 days). */
  SESSION_MAX_AGE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 366)
    .default(24 * 14),
})

export type SessionConfig = z.infer<typeof sessionSchema>

/** Cross-field rule for {@link sessionSchema}: a secret or its file, not both. */
export function refineSessionConfig(config: SessionConfig, ctx: z.RefinementCtx): void {
  if (config.SESSION_SECRET !== undefined && config.SESSION_SECRET_FILE !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['SESSION_SECRET_FILE'],
      message: 'set SESSION_SECRET or SESSION_SECRET_FILE, not both',
    })
}

/**
 * The configured secret, read from `SESSION_SECRET_FILE` when that is set; undefined when neither
 * is set.
 *
 * @throws ConfigError when the file cannot be read or holds fewer than 32 characters.
 */
export async function loadSessionSecret(config: SessionConfig): Promise<string | undefined> {
  if (config.SESSION_SECRET !== undefined) return config.SESSION_SECRET
  if (config.SESSION_SECRET_FILE === undefined) return undefined
  let text: string
  try {
    text = (await readFile(config.SESSION_SECRET_FILE, 'utf8')).trim()
  } catch {
    throw new ConfigError(['SESSION_SECRET_FILE: cannot read the file'])
  }
  if (text.length < 32)
    throw new ConfigError(['SESSION_SECRET_FILE: the secret is shorter than 32 characters'])
  return text
}
