/**
 * `@pinion/upload/testing`: what tests and benchmarks of the upload service (and of its clients,
 * such as `pinion upload`) need besides the platform's test environment: a user with an API token.
 *
 * @example
 * ```ts
 * const deps = await buildDeps(parseConfig(ConfigSchema, environment.env), logger)
 * const { userId, token } = await createUploadUser(deps)
 * ```
 */
import { createApiToken, createUser } from '@pinion/db'
import type { Scope } from '@pinion/auth'
import type { UploadDeps } from './deps.js'

/**
 * Creates a user and an API token for it (default scope `upload`).
 *
 * @throws Error when the deployment has no signing key (tokens cannot be issued).
 */
export async function createUploadUser(
  deps: Pick<UploadDeps, 'database' | 'auth'>,
  options: { email?: string; scopes?: Scope[] } = {},
): Promise<{ userId: string; token: string }> {
  const scopes = options.scopes ?? ['upload']
  const issuer = deps.auth.issuer
  if (issuer === undefined) throw new Error('no AUTH_SIGNING_KEY: tokens cannot be issued')
  const user = await createUser(deps.database.prisma, {
    email:
      options.email ?? `uploader-${Date.now()}-${Math.random().toString(36).slice(2)}@example.org`,
    displayName: 'Uploader',
  })
  const row = await createApiToken(deps.database.prisma, { userId: user.id, name: 'test', scopes })
  const token = await issuer.issueApiToken({ userId: user.id, tokenId: row.id, scopes })
  return { userId: user.id, token }
}
