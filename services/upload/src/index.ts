/**
 * Files (multipart, raw bytes) and CAR archives streamed into the blockstore, then pinned, at
 * `POST /upload/api/v1/` (API token with the `upload` scope) and `/upload/web/` (browser session).
 * Files become UnixFS DAGs with the CIDs `ipfs add --cid-version=1` gives (`@pinion/unixfs`); CAR
 * blocks are verified one by one; content is readable as soon as the answer (a PinStatus in
 * `pinning`) is sent.
 *
 * The package exports the pieces the all-in-one process composes; `src/main.ts` runs it alone.
 *
 * @example
 * ```ts
 * import { ConfigSchema, buildDepsWith, createRoutes } from '@pinion/upload'
 * const deps = await buildDepsWith(parseConfig(ConfigSchema, env), context)
 * app.use(createRoutes(deps))
 * ```
 */
export { ConfigSchema, loadConfig, uploadSchema, type Config } from './config.js'
export { buildDeps, buildDepsWith, type UploadDeps } from './deps.js'
export { createApp, createRoutes } from './app.js'
export {
  createUploader,
  type Upload,
  type UploadContent,
  type Uploader,
  type UploaderComponents,
  type UploaderInit,
} from './domain/uploader.js'
export type { PinRequests, PinStatusBody, UploadPinRequest } from './domain/pins.js'
