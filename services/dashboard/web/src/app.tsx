import { useEffect, useRef } from 'react'
import type { ReactNode } from 'react'
import { ErrorMessage } from './components/error-message.js'
import { GitHubPage } from './pages/github.js'
import { PinsPage } from './pages/pins.js'
import { ProverPage } from './pages/prover.js'
import { SignInPage } from './pages/sign-in.js'
import { AccountMenu } from './pages/account-menu.js'
import { TokensPage } from './pages/tokens.js'
import { UploadPage } from './pages/upload.js'
import { UsagePage } from './pages/usage.js'
import { Link, navigate, usePath } from './router.js'
import { useSession } from './session.js'

interface Page {
  readonly path: string
  readonly title: string
  readonly render: () => ReactNode
}

/** The signed-in pages, in navigation order. */
const PAGES: readonly Page[] = [
  { path: '/pins', title: 'Pins', render: () => <PinsPage /> },
  { path: '/upload', title: 'Upload', render: () => <UploadPage /> },
  { path: '/tokens', title: 'API tokens', render: () => <TokensPage /> },
  { path: '/github', title: 'GitHub', render: () => <GitHubPage /> },
  { path: '/prover', title: 'Prover', render: () => <ProverPage /> },
  { path: '/usage', title: 'Usage', render: () => <UsagePage /> },
]

export function App() {
  const path = usePath()
  const { session, error } = useSession()
  const main = useRef<HTMLElement>(null)
  const signedIn = session?.user != null
  const page = PAGES.find((candidate) => candidate.path === path)
  const isAuthPage = path === '/signin' || path === '/signup'

  useEffect(() => {
    if (session === undefined) return
    if (!signedIn && !isAuthPage) navigate('/signin')
    else if (signedIn && (isAuthPage || path === '/')) navigate('/pins')
  }, [session, signedIn, isAuthPage, path])

  // Moving focus to the new page's heading tells keyboard and screen-reader users it changed.
  useEffect(() => {
    document.title = `${page?.title ?? (isAuthPage ? 'Sign in' : 'Pinion')} · Pinion`
    main.current?.querySelector('h1')?.focus()
  }, [page, isAuthPage])

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link href="/" className="brand">
          Pinion
        </Link>
        {signedIn ? (
          <nav aria-label="Main">
            <ul>
              {PAGES.map((candidate) => (
                <li key={candidate.path}>
                  <Link
                    href={candidate.path}
                    aria-current={candidate.path === path ? 'page' : undefined}
                  >
                    {candidate.title}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        {signedIn ? <AccountMenu /> : null}
      </header>
      <main id="main" ref={main}>
        {session === undefined && error === undefined ? <p>Loading…</p> : null}
        {session === undefined && error !== undefined ? (
          <>
            <h1 tabIndex={-1}>Pinion is not reachable</h1>
            <ErrorMessage error={error} />
          </>
        ) : null}
        {session && !signedIn && isAuthPage ? (
          <SignInPage mode={path === '/signup' ? 'signup' : 'signin'} />
        ) : null}
        {session && signedIn && page ? page.render() : null}
        {session && signedIn && !page && path !== '/' && !isAuthPage ? (
          <>
            <h1 tabIndex={-1}>Not found</h1>
            <p>
              There is no page at <code>{path}</code>. <Link href="/pins">Go to your pins</Link>.
            </p>
          </>
        ) : null}
      </main>
    </>
  )
}
