import type { Auth } from '@pinion/auth'
import { getAuth } from '@pinion/auth'
import { Router } from 'express'
import type { Uploader } from '../domain/uploader.js'
import { uploadHandler } from './upload.js'

/** What the upload routes need. */
export interface UploadRoutesDeps {
  readonly uploader: Uploader
  readonly auth: Pick<Auth, 'requireToken'>
  readonly maxFiles: number
}

/** `POST /upload/api/v1/`: an API token with the `upload` scope. */
export function createUploadRouter(deps: UploadRoutesDeps): Router {
  const router = Router()
  router.post(
    '/upload/api/v1/',
    deps.auth.requireToken('upload'),
    uploadHandler(deps.uploader, {
      maxFiles: deps.maxFiles,
      userIdOf: (req) => getAuth(req).userId,
    }),
  )
  return router
}
