import type { Auth } from '@pinion/auth'
import { getAuth } from '@pinion/auth'
import type { Sessions } from '@pinion/sessions'
import { sessionUser } from '@pinion/sessions'
import { Router } from 'express'
import type { Uploader } from '../domain/uploader.js'
import { uploadHandler } from './upload.js'

/** What the upload routes need. */
export interface UploadRoutesDeps {
  readonly uploader: Uploader
  readonly auth: Pick<Auth, 'requireToken'>
  readonly maxFiles: number
  /** The dashboard's sessions; without them there is no `/upload/web/` route. */
  readonly sessions?: Pick<Sessions, 'identify' | 'requireSession' | 'requireCsrf'>
}

/**
 * `POST /upload/api/v1/`: an API token with the `upload` scope. `POST /upload/web/`: the
 * dashboard's session cookie and its CSRF token (the web app's uploads); same handler, same answers.
 */
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
  const { sessions } = deps
  if (sessions !== undefined)
    router.post(
      '/upload/web/',
      ...sessions.identify,
      sessions.requireSession,
      sessions.requireCsrf,
      uploadHandler(deps.uploader, {
        maxFiles: deps.maxFiles,
        userIdOf: (req) => (sessionUser(req) as { id: string }).id,
      }),
    )
  return router
}
