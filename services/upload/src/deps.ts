import type { Auth } from '@pinion/auth'
import type { Blockstore } from '@pinion/blockstore'
import type { Database } from '@pinion/db'
import { cidKeyOf, createConfiguredPins, type Pins } from '@pinion/pins'
import { createServiceContext, type AttachedMessaging, type ServiceContext } from '@pinion/platform'
import type { Logger, ServiceDeps } from '@pinion/service-kit'
import type { Sessions } from '@pinion/sessions'
import { createUnixfsImporter } from '@pinion/unixfs'
import type { Config } from './config.js'
import type { PinRequests } from './domain/pins.js'
import { createUploader, type Uploader } from './domain/uploader.js'

/** Everything upload's routes use, built once per process. */
export interface UploadDeps extends ServiceDeps {
  readonly config: Config
  readonly database: Database
  readonly blockstore: Blockstore
  readonly messaging: AttachedMessaging['messaging']
  readonly auth: Auth
  readonly uploader: Uploader
  /** The dashboard's browser sessions, for `POST /upload/web/`. */
  readonly sessions: Sessions
}

/**
 * Builds upload's deps on a given platform. The all-in-one process calls this with one shared
 * platform for every service; standalone, {@link buildDeps} makes a platform of its own.
 */
export async function buildDepsWith(
  config: Config,
  { deps, platform }: ServiceContext,
): Promise<UploadDeps> {
  const database = platform.database(config)
  const blockstore = platform.blockstore(config)
  const messaging = platform.messaging(config).messaging
  const logger = deps.logger.child({ component: 'upload' })
  const pins = await createConfiguredPins({ database, messaging, logger }, config)
  const uploader = createUploader(
    { blockstore, unixfs: createUnixfsImporter({ blockstore }), pins: uploadPins(pins), logger },
    { maxBytes: config.UPLOAD_MAX_BYTES },
  )
  return {
    ...deps,
    config,
    database,
    blockstore,
    messaging,
    auth: await platform.auth(config),
    uploader,
    sessions: await platform.sessions(config),
  }
}

/** Upload's view of the pin domain: pins of content it has just stored start in `pinning`. */
function uploadPins(pins: Pins): PinRequests {
  return {
    remainingStoredBytes: (userId) => pins.remainingStoredBytes(userId),
    async requestPin(request) {
      const cidKey = cidKeyOf(request.cid)
      if (cidKey === undefined) throw new RangeError(`not a CID: ${request.cid}`)
      const row = await pins.createPin({ ...request, cidKey, origins: [] })
      return pins.toPinStatus(row)
    },
  }
}

export function buildDeps(config: Config, logger: Logger): Promise<UploadDeps> {
  return buildDepsWith(config, createServiceContext('upload', logger))
}
