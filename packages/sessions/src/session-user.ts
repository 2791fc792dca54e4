import type { Request } from 'express'

/** What `identify()` puts in `req.user` for a signed-in, enabled user. */
export interface SessionUser {
  id: string
  email: string
  displayName: string
  role: 'user' | 'admin'
}

/** The signed-in user of this request, or undefined. */
export function sessionUser(req: Request): SessionUser | undefined {
  const user = (req as Request & { user?: unknown }).user
  if (typeof user !== 'object' || user === null) return undefined
  return typeof (user as { id?: unknown }).id === 'string' ? (user as SessionUser) : undefined
}
