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
  /**
   * Earlier secrets, comma separated: cookies they signed are still accepted (and re-signed with
   * SESSION_SECRET as they are used), so the secret can be rotated without signing anyone out.
   */
  SESSION_PREVIOUS_SECRETS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((secret) => secret.trim())
        .filter((secret) => secret !== ''),
    )
    .pipe(z.array(z.string().min(32, 'each previous secret needs at least 32 characters'))),
  /**
   * A file holding the secret (a Kubernetes Secret mount); the alternative to SESSION_SECRET. Its
   * first line is the secret; further lines are previous secrets (rotation, as above).
   */
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
 * The configured secrets, current first: SESSION_SECRET then SESSION_PREVIOUS_SECRETS, or the lines
 * of SESSION_SECRET_FILE; undefined when no secret is set.
 *
 * @throws ConfigError when the file cannot be read or holds a secret of fewer than 32 characters.
 */
export async function loadSessionSecrets(config: SessionConfig): Promise<string[] | undefined> {
  if (config.SESSION_SECRET !== undefined)
    return [config.SESSION_SECRET, ...config.SESSION_PREVIOUS_SECRETS]
  if (config.SESSION_SECRET_FILE === undefined) {
    if (config.SESSION_PREVIOUS_SECRETS.length > 0)
      throw new ConfigError(['SESSION_PREVIOUS_SECRETS: set SESSION_SECRET too (the current one)'])
    return undefined
  }
  let text: string
  try {
    text = await readFile(config.SESSION_SECRET_FILE, 'utf8')
  } catch {
    throw new ConfigError(['SESSION_SECRET_FILE: cannot read the file'])
  }
  const secrets = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
  if (secrets.length === 0 || secrets.some((secret) => secret.length < 32))
    throw new ConfigError(['SESSION_SECRET_FILE: every secret needs at least 32 characters'])
  return [...secrets, ...config.SESSION_PREVIOUS_SECRETS]
}
