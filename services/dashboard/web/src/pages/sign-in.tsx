import { useState } from 'react'
import type { FormEvent } from 'react'
import { api } from '../api/client.js'
import type { User } from '../api/types.js'
import { ErrorMessage } from '../components/error-message.js'
import { Link, navigate } from '../router.js'
import { useSession } from '../session.js'

/** E-mail + password sign-in or sign-up, plus a button per configured GitHub/OIDC provider. */
export function SignInPage({ mode }: { mode: 'signin' | 'signup' }) {
  const { session, refresh } = useSession()
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const signUp = mode === 'signup'

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const body: Record<string, string> = {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    }
    const displayName = String(form.get('displayName') ?? '').trim()
    if (signUp && displayName) body.displayName = displayName
    setBusy(true)
    setError(undefined)
    try {
      await api<{ user: User }>(
        'POST',
        signUp ? '/api/account/signup' : '/api/account/signin',
        body,
      )
      // The session id and CSRF token changed with the sign-in.
      await refresh()
      navigate('/pins')
    } catch (cause) {
      setError(cause)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="narrow">
      <h1 tabIndex={-1}>{signUp ? 'Create an account' : 'Sign in'}</h1>
      <form onSubmit={(event) => void submit(event)} className="stack">
        <label>
          E-mail
          <input name="email" type="email" autoComplete="email" required />
        </label>
        {signUp ? (
          <label>
            <span>
              Display name <span className="hint">(optional)</span>
            </span>
            <input name="displayName" type="text" autoComplete="name" maxLength={100} />
          </label>
        ) : null}
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={signUp ? 'new-password' : 'current-password'}
            minLength={signUp ? 8 : undefined}
            required
          />
        </label>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {signUp ? 'Sign up' : 'Sign in'}
        </button>
      </form>
      {session && session.providers.length > 0 ? (
        <div className="providers">
          <p>Or continue with</p>
          {session.providers.map((provider) => (
            // A full page load: the provider's redirect flow must leave the app.
            <a key={provider.id} className="button" href={provider.url}>
              {provider.label}
            </a>
          ))}
        </div>
      ) : null}
      {signUp ? (
        <p>
          Already have an account? <Link href="/signin">Sign in</Link>
        </p>
      ) : session?.signUpOpen ? (
        <p>
          New here? <Link href="/signup">Create an account</Link>
        </p>
      ) : null}
    </section>
  )
}
