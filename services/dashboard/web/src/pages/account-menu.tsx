import { useState } from 'react'
import { api } from '../api/client.js'
import { ErrorMessage } from '../components/error-message.js'
import { navigate } from '../router.js'
import { useSession } from '../session.js'

/** Who is signed in, sign out, and sign out of every session (other browsers and devices too). */
export function AccountMenu() {
  const { session, refresh } = useSession()
  const [error, setError] = useState<unknown>()

  const signOut = async (everywhere: boolean) => {
    try {
      await api('POST', everywhere ? '/api/account/signout-everywhere' : '/api/account/signout')
      await refresh()
      navigate('/signin')
    } catch (cause) {
      setError(cause)
    }
  }

  const user = session?.user
  if (!user) return null
  return (
    <div className="account">
      <span className="who" title={user.email}>
        {user.displayName || user.email}
      </span>
      <button type="button" onClick={() => void signOut(false)}>
        Sign out
      </button>
      <button type="button" onClick={() => void signOut(true)}>
        Sign out everywhere
      </button>
      <ErrorMessage error={error} />
    </div>
  )
}
