import { useState } from 'react'
import { api, query } from '../api/client.js'
import type { GitHubEvent, Installation } from '../api/types.js'
import { DataTable } from '../components/data-table.js'
import { ErrorMessage } from '../components/error-message.js'
import { formatDate } from '../lib/format.js'
import { useApi } from '../lib/use-api.js'

const PAGE_SIZE = 25

/** Connect the GitHub App, see its installations, and every webhook event with a re-run button. */
export function GitHubPage() {
  const installUrl = useApi<{ url: string | null }>('/api/account/github/install-url')
  const installations = useApi<{ results: Installation[] }>('/api/account/github/installations')
  const [before, setBefore] = useState<string | undefined>()
  const events = useApi<{ results: GitHubEvent[] }>(
    '/api/account/github/events' + query({ limit: PAGE_SIZE, before }),
  )
  const [error, setError] = useState<unknown>()

  const rerun = async (event: GitHubEvent) => {
    setError(undefined)
    try {
      await api('POST', `/api/account/github/events/${encodeURIComponent(event.id)}/rerun`)
      await events.reload()
    } catch (cause) {
      setError(cause)
    }
  }

  const rows = events.data?.results ?? []
  return (
    <section>
      <h1 tabIndex={-1}>GitHub</h1>
      <div className="card">
        <h2>GitHub App</h2>
        <ErrorMessage error={installUrl.error} />
        {installUrl.data?.url ? (
          <p>
            <a className="button primary" href={installUrl.data.url}>
              Install the GitHub App
            </a>{' '}
            <span className="hint">
              on your account or an organisation, for the repositories you pick.
            </span>
          </p>
        ) : installUrl.data ? (
          <p>No GitHub App is configured on this Pinion.</p>
        ) : null}
        <ErrorMessage error={installations.error} />
        {installations.data && installations.data.results.length === 0 ? (
          <p>No installations linked to you yet.</p>
        ) : null}
        <ul>
          {installations.data?.results.map((installation) => (
            <li key={installation.id}>
              <strong>{installation.accountLogin}</strong>{' '}
              <span className="hint">({installation.accountType})</span>:{' '}
              {installation.repositories.join(', ') || 'no repositories'}
            </li>
          ))}
        </ul>
      </div>
      <h2>Events</h2>
      <ErrorMessage error={error ?? events.error} />
      {events.data && rows.length === 0 ? <p>No webhook events yet.</p> : null}
      {rows.length > 0 ? (
        <DataTable columns={['Repository', 'Event', 'Status', 'Received', 'Messages']}>
          {rows.map((event) => (
            <tr key={event.id}>
              <td>{event.repository ?? '—'}</td>
              <td>
                {event.event}
                {event.action ? `.${event.action}` : ''}
              </td>
              <td>
                <span className={`badge ${event.status}`}>{event.status}</span>
              </td>
              <td>{formatDate(event.createdAt)}</td>
              <td>
                {event.messages.length === 0 ? (
                  '—'
                ) : (
                  // <details> is keyboard-operable and announced as expandable by itself.
                  <details>
                    <summary>
                      {event.messages.length} {event.messages.length === 1 ? 'message' : 'messages'}
                    </summary>
                    <ul className="messages">
                      {event.messages.map((message, index) => (
                        <li key={index} className={message.level}>
                          <time dateTime={message.at}>{formatDate(message.at)}</time>{' '}
                          <strong>{message.level}</strong> {message.text}
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </td>
              <td>
                <button
                  type="button"
                  onClick={() => void rerun(event)}
                  aria-label={`Re-run ${event.event} ${event.deliveryId}`}
                >
                  Re-run
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <nav className="row" aria-label="Pages">
        <button type="button" disabled={before === undefined} onClick={() => setBefore(undefined)}>
          Newest
        </button>
        <button
          type="button"
          disabled={rows.length < PAGE_SIZE}
          onClick={() => setBefore(rows.at(-1)?.createdAt)}
        >
          Older
        </button>
      </nav>
    </section>
  )
}
