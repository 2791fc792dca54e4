import { isAppError } from '@pinion/service-kit'
import type { Request } from 'express'
import type { ExternalProfile } from '../domain/external-sign-in.js'

/**
 * Runs an external sign-in; false when it was refused (disabled account, closed sign-up, an
 * unverified e-mail of an existing account), so the browser is sent back to the web app rather
 * than shown a JSON error. Other errors (database down) propagate.
 */
export async function signInOrFailure(
  signIn: (req: Request, profile: ExternalProfile) => Promise<void>,
  req: Request,
  profile: ExternalProfile,
): Promise<boolean> {
  try {
    await signIn(req, profile)
    return true
  } catch (error) {
    if (isAppError(error)) return false
    throw error
  }
}
