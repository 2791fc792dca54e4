import { useState } from 'react'
import type { FormEvent } from 'react'
import { api } from '../api/client.js'
import { TOKEN_SCOPES, type ApiToken, type CreatedToken } from '../api/types.js'
import { CopyButton } from '../components/copy-button.js'
import { DataTable } from '../components/data-table.js'
import { ErrorMessage } from '../components/error-message.js'
import { formatDate } from '../lib/format.js'
import { useApi } from '../lib/use-api.js'

/** Create an API token (its secret is shown once), list tokens with last use, revoke one. */
export function TokensPage() {
  const tokens = useApi<{ results: ApiToken[] }>('/api/account/tokens')
  const [created, setCreated] = useState<CreatedToken | undefined>()
  const [error, setError] = useState<unknown>()

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const formElement = event.currentTarget
    const form = new FormData(formElement)
    const scopes = TOKEN_SCOPES.filter((scope) => form.get(`scope-${scope}`) === 'on')
    const days = String(form.get('expiresInDays') ?? '').trim()
    setError(undefined)
    try {
      const token = await api<CreatedToken>('POST', '/api/account/tokens', {
        name: String(form.get('name') ?? '').trim(),
        scopes,
        ...(days ? { expiresInDays: Number(days) } : {}),
      })
      setCreated(token)
      formElement.reset()
      await tokens.reload()
    } catch (cause) {
      setError(cause)
    }
  }

  const revoke = async (token: ApiToken) => {
    if (!window.confirm(`Revoke "${token.name}"? Programs using it stop working.`)) return
    setError(undefined)
    try {
      await api('DELETE', `/api/account/tokens/${encodeURIComponent(token.id)}`)
      if (created?.id === token.id) setCreated(undefined)
      await tokens.reload()
    } catch (cause) {
      setError(cause)
    }
  }

  return (
    <section>
      <h1 tabIndex={-1}>API tokens</h1>
      <p>
        Tokens let programs (the <code>pinion</code> CLI, <code>ipfs pin remote</code>, CI) act for
        you. Give each the fewest scopes it needs.
      </p>
      <form className="card stack" onSubmit={(event) => void create(event)} aria-label="New token">
        <h2>New token</h2>
        <label>
          Name
          <input name="name" required maxLength={100} placeholder="laptop CLI" />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          {TOKEN_SCOPES.map((scope) => (
            <label key={scope} className="inline">
              <input type="checkbox" name={`scope-${scope}`} defaultChecked={scope === 'pinning'} />{' '}
              {scope}
            </label>
          ))}
        </fieldset>
        <label>
          <span>
            Expires after (days) <span className="hint">(empty: never)</span>
          </span>
          <input name="expiresInDays" type="number" min={1} max={3650} inputMode="numeric" />
        </label>
        <button type="submit" className="primary">
          Create token
        </button>
      </form>
      <ErrorMessage error={error} />
      {created ? (
        <div className="card secret" role="status">
          <h2>Token “{created.name}” created</h2>
          <p>Copy it now: it is shown only once.</p>
          <label>
            Secret
            <input
              readOnly
              value={created.token}
              data-testid="token-secret"
              onFocus={(event) => event.currentTarget.select()}
            />
          </label>
          <CopyButton text={created.token} />{' '}
          <button type="button" onClick={() => setCreated(undefined)}>
            Done
          </button>
        </div>
      ) : null}
      <h2>Your tokens</h2>
      <ErrorMessage error={tokens.error} />
      {tokens.data && tokens.data.results.length === 0 ? <p>No tokens yet.</p> : null}
      {tokens.data && tokens.data.results.length > 0 ? (
        <DataTable columns={['Name', 'Scopes', 'Created', 'Expires', 'Last used']}>
          {tokens.data.results.map((token) => (
            <tr key={token.id}>
              <td>{token.name}</td>
              <td>{token.scopes.join(', ')}</td>
              <td>{formatDate(token.createdAt)}</td>
              <td>{token.expiresAt ? formatDate(token.expiresAt) : 'never'}</td>
              <td>{token.lastUsedAt ? formatDate(token.lastUsedAt) : 'never'}</td>
              <td>
                {token.revokedAt ? (
                  <span className="badge failed">revoked</span>
                ) : (
                  <button
                    type="button"
                    className="danger"
                    onClick={() => void revoke(token)}
                    aria-label={`Revoke ${token.name}`}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  )
}
