import type { Auth } from '@pinion/auth'
import type { Blockstore } from '@pinion/blockstore'
import type { Database } from '@pinion/db'
import { createServiceContext, type AttachedMessaging, type ServiceContext } from '@pinion/platform'
import type { Logger, ServiceDeps } from '@pinion/service-kit'
import type { Config } from './config.js'

/** Everything github-bot's routes and consumers use, built once per process. */
export interface GithubBotDeps extends ServiceDeps {
  readonly config: Config
  readonly database: Database
  readonly blockstore: Blockstore
  readonly messaging: AttachedMessaging['messaging']
  readonly auth: Auth
}

/**
 * Builds github-bot's deps on a given platform. The all-in-one process calls this with one shared
 * platform for every service; standalone, {@link buildDeps} makes a platform of its own.
 */
export async function buildDepsWith(
  config: Config,
  { deps, platform }: ServiceContext,
): Promise<GithubBotDeps> {
  return {
    ...deps,
    config,
    database: platform.database(config),
    blockstore: platform.blockstore(config),
    messaging: platform.messaging(config).messaging,
    auth: await platform.auth(config),
  }
}

export function buildDeps(config: Config, logger: Logger): Promise<GithubBotDeps> {
  return buildDepsWith(config, createServiceContext('github-bot', logger))
}
