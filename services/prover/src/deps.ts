import type { Auth } from '@pinion/auth'
import type { Blockstore } from '@pinion/blockstore'
import type { Database } from '@pinion/db'
import { createServiceContext, type AttachedMessaging, type ServiceContext } from '@pinion/platform'
import type { Logger, ServiceDeps } from '@pinion/service-kit'
import type { Sessions } from '@pinion/sessions'
import type { Config } from './config.js'
import { createRateLimiter, type RateLimiter } from './domain/rate-limit.js'
import { deriveServiceKeys, loadMasterKey } from './domain/service-keys.js'
import { createSigner, type Signer } from './domain/signer.js'
import { createTagJobs, type TagJobs } from './domain/tag-jobs.js'
import { createThreadPool, type ThreadPool } from './threads/thread-pool.js'

/** Everything prover's routes and jobs use, built once per process. */
export interface ProverDeps extends ServiceDeps {
  readonly config: Config
  readonly database: Database
  readonly blockstore: Blockstore
  readonly messaging: AttachedMessaging['messaging']
  readonly auth: Auth
  /** Threads that create keys and tag (they alone hold the seal key). */
  readonly tagging: ThreadPool
  /** Threads that compute proofs (no seal key). */
  readonly proving: ThreadPool
  readonly jobs: TagJobs
  readonly signer: Signer
  /** The dashboard's browser sessions, for `/prover/web/v1/…`. */
  readonly sessions: Sessions
  readonly proveLimits: { readonly perIp: RateLimiter; readonly perKey: RateLimiter }
}

/** Test seams of {@link buildDepsWith}. */
export interface ProverDepsInit {
  /** Safe primes (hex) handed out in turn instead of a prime search (ateniese / erway keys). */
  readonly safePrimes?: readonly string[]
}

/**
 * Builds prover's deps on a given platform. The all-in-one process calls this with one shared
 * platform for every service; standalone, {@link buildDeps} makes a platform of its own.
 *
 * @throws RangeError when the master key (PROVER_SECRETS_KEY or its file) is not 32 bytes.
 */
export async function buildDepsWith(
  config: Config,
  { deps, platform }: ServiceContext,
  init: ProverDepsInit = {},
): Promise<ProverDeps> {
  const keys = deriveServiceKeys(await loadMasterKey(config))
  const database = platform.database(config)
  const blockstore = platform.blockstore(config)
  const tagging = createThreadPool(deps, {
    name: 'tagging-threads',
    threads: config.PROVER_TAG_THREADS,
    data: { sealKey: keys.sealKey, ...(init.safePrimes ? { safePrimes: init.safePrimes } : {}) },
  })
  const proving = createThreadPool(deps, { name: 'proving-threads', threads: 1, data: {} })
  const jobs = createTagJobs(
    { prisma: database.prisma, blockstore, tagging, logger: deps.logger },
    { maxBytes: config.PROVER_MAX_TAG_BYTES },
  )
  // Threads before the job runner, so the runner (stopped first) never outlives them.
  deps.startables.push(tagging, proving, jobs)
  const minute = 60_000
  return {
    ...deps,
    config,
    database,
    blockstore,
    messaging: platform.messaging(config).messaging,
    auth: await platform.auth(config),
    tagging,
    proving,
    jobs,
    signer: createSigner(keys.signingSecret, keys.signingPublic),
    sessions: await platform.sessions(config),
    proveLimits: {
      perIp: createRateLimiter({ limit: config.PROVER_PROVE_RATE_PER_IP, windowMs: minute }),
      perKey: createRateLimiter({ limit: config.PROVER_PROVE_RATE_PER_KEY, windowMs: minute }),
    },
  }
}

export function buildDeps(config: Config, logger: Logger): Promise<ProverDeps> {
  return buildDepsWith(config, createServiceContext('prover', logger))
}
