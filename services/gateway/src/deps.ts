import type { Auth } from '@pinion/auth'
import type { Blockstore } from '@pinion/blockstore'
import {
  addUsageBatch,
  findUserById,
  isDatabaseUnavailableError,
  sumUsage,
  type Database,
} from '@pinion/db'
import { createServiceContext, type AttachedMessaging, type ServiceContext } from '@pinion/platform'
import type { Logger, ServiceDeps } from '@pinion/service-kit'
import type { Config } from './config.js'
import { createGateway, type Gateway } from './domain/gateway.js'
import { createQuotaGuard, type QuotaGuard } from './domain/quota.js'
import { createUsageMeter, type UsageMeter } from './domain/usage-meter.js'
import { createResponseCache, type ResponseCache } from './routes/response-cache.js'
import type { SessionAuth } from './routes/web-session.js'

/** Everything gateway's routes use, built once per process. */
export interface GatewayDeps extends ServiceDeps {
  readonly config: Config
  readonly database: Database
  readonly blockstore: Blockstore
  readonly messaging: AttachedMessaging['messaging']
  readonly auth: Auth
  readonly gateway: Gateway
  readonly meter: UsageMeter
  readonly quota: QuotaGuard
  readonly responses: ResponseCache
  /**
   * The dashboard's session middleware for `/gateway/web/` (see `SessionAuth`). Without it the
   * web gateway answers 401 to everyone.
   */
  readonly sessionAuth: SessionAuth | undefined
}

/** What a caller may add to the gateway's deps. */
export interface GatewayDepsOptions {
  /**
   * The session middleware (it sets `req.user.id`); default: the dashboard's sessions
   * (`@pinion/sessions` `identify`) from the platform.
   */
  sessionAuth?: SessionAuth
}

/** Blocks read ahead of the one being sent: a few leaves, so memory stays a few MiB per stream. */
const readAhead = 4

/**
 * Builds gateway's deps on a given platform. The all-in-one process calls this with one shared
 * platform for every service; standalone, {@link buildDeps} makes a platform of its own.
 */
export async function buildDepsWith(
  config: Config,
  { deps, platform }: ServiceContext,
  options: GatewayDepsOptions = {},
): Promise<GatewayDeps> {
  const database = platform.database(config)
  const blockstore = platform.blockstore(config)
  const meter = createUsageMeter(
    {
      logger: deps.logger,
      writeBatch: (deltas) => addUsageBatch(database.prisma, deltas),
      isTransient: isDatabaseUnavailableError,
    },
    { flushMs: config.GATEWAY_USAGE_FLUSH_MS },
  )
  // After the database in the start order, so it is stopped (and flushes) before the pool closes.
  deps.startables.push(meter)
  const quota = createQuotaGuard(
    {
      meter,
      userLimit: async (userId) =>
        (await findUserById(database.prisma, userId))?.maxGatewayBytesPerMonth ?? null,
      usedSince: (userId, from) => sumUsage(database.prisma, userId, 'gateway_bytes', { from }),
    },
    {
      defaultLimit: config.QUOTA_MAX_GATEWAY_BYTES_PER_MONTH,
      cacheMs: config.GATEWAY_QUOTA_CACHE_MS,
    },
  )
  const gateway = createGateway(
    { blockstore },
    {
      maxPathLength: config.GATEWAY_MAX_PATH_LENGTH,
      maxPathSegments: config.GATEWAY_MAX_PATH_SEGMENTS,
      maxDagDepth: config.GATEWAY_MAX_DAG_DEPTH,
      cacheVisibility: config.GATEWAY_CACHE_PRIVATE ? 'private' : 'public',
      readAhead,
      blockCacheBytes: config.GATEWAY_BLOCK_CACHE_MB * 1024 * 1024,
    },
  )
  const responses = createResponseCache({
    maxBytes: config.GATEWAY_RESPONSE_CACHE_MB * 1024 * 1024,
    maxEntryBytes: 64 * 1024,
    ttlMs: 60_000,
  })
  return {
    ...deps,
    config,
    database,
    blockstore,
    messaging: platform.messaging(config).messaging,
    auth: await platform.auth(config),
    gateway,
    meter,
    quota,
    responses,
    sessionAuth: options.sessionAuth ?? (await platform.sessions(config)).identify,
  }
}

export function buildDeps(config: Config, logger: Logger): Promise<GatewayDeps> {
  return buildDepsWith(config, createServiceContext('gateway', logger))
}
