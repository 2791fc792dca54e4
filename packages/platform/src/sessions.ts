import type { Database } from '@pinion/db'
import type { ServiceDeps } from '@pinion/service-kit'
import {
  createSessions,
  loadSessionSecrets,
  type SessionConfig,
  type Sessions,
} from '@pinion/sessions'

/**
 * Builds browser sessions over the service's database and registers the store (it prunes expired
 * sessions while the service runs).
 */
export async function attachSessions(
  deps: ServiceDeps,
  config: SessionConfig,
  components: { database: Database },
): Promise<Sessions> {
  const sessions = createSessions(
    { database: components.database, logger: deps.logger },
    {
      secrets: await loadSessionSecrets(config),
      maxAgeMs: config.SESSION_MAX_AGE_HOURS * 3600_000,
    },
  )
  deps.startables.push(sessions.store)
  return sessions
}
