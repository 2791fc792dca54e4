import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { api, configureSession } from './api/client.js'
import type { Session } from './api/types.js'

interface SessionState {
  /** undefined while the first `GET /api/account/session` is in flight. */
  readonly session: Session | undefined
  readonly error: unknown
  /** Fetches the session again (after sign-in and sign-out the CSRF token changes). */
  refresh(): Promise<Session | undefined>
}

const SessionContext = createContext<SessionState | undefined>(undefined)

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>()
  const [error, setError] = useState<unknown>()
  const current = useRef<Session | undefined>(undefined)

  const accept = useCallback((next: Session) => {
    current.current = next
    setSession(next)
    setError(undefined)
    return next
  }, [])

  const refresh = useCallback(
    () =>
      api<Session>('GET', '/api/account/session').then(accept, (cause: unknown) => {
        setError(cause)
        return undefined
      }),
    [accept],
  )

  useEffect(() => {
    configureSession(
      () => current.current?.csrfToken,
      async () => (await refresh())?.csrfToken,
      // The app then shows the sign-in page instead of a page of 401 errors.
      () => void refresh(),
    )
    api<Session>('GET', '/api/account/session').then(accept, setError)
  }, [accept, refresh])

  const value = useMemo(() => ({ session, error, refresh }), [session, error, refresh])
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): SessionState {
  const state = useContext(SessionContext)
  if (!state) throw new Error('useSession outside SessionProvider')
  return state
}
