import { useState } from 'react'
import type { FormEvent } from 'react'
import { api } from '../api/client.js'
import type { ChallengeKey, ChallengeKeySetup } from '../api/types.js'
import { CopyButton } from '../components/copy-button.js'
import { ErrorMessage } from '../components/error-message.js'
import { formatDate, shortCid } from '../lib/format.js'
import { useApi } from '../lib/use-api.js'

/** The prover's own API, served to the signed-in browser (session + CSRF) under /prover/web/v1. */
const PROVER = '/prover/web/v1'
const PROTOCOLS = ['sw-priv', 'sw-pub', 'ateniese', 'erway', 'bjo'] as const

/** Challenge keys for storage proofs: list, create, delete, and each key's setup and roots. */
export function ProverPage() {
  const keys = useApi<{ keys: ChallengeKey[] }>(`${PROVER}/challenge-keys`)
  const [open, setOpen] = useState<string | undefined>()
  const [error, setError] = useState<unknown>()

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setError(undefined)
    try {
      await api('POST', `${PROVER}/challenge-key`, {
        protocol: String(form.get('protocol')),
        challenge_size: Number(form.get('challengeSize')),
      })
      await keys.reload()
    } catch (cause) {
      setError(cause)
    }
  }

  const remove = async (key: ChallengeKey) => {
    if (!window.confirm(`Delete key ${key.key_id} and all its tags?`)) return
    setError(undefined)
    try {
      await api('DELETE', `${PROVER}/challenge-key/${encodeURIComponent(key.key_id)}`)
      if (open === key.key_id) setOpen(undefined)
      await keys.reload()
    } catch (cause) {
      setError(cause)
    }
  }

  const list = keys.data?.keys ?? []
  return (
    <section>
      <h1 tabIndex={-1}>Prover</h1>
      <p>
        Challenge keys let you audit that Pinion still holds your data (proofs of retrievability).
      </p>
      <form className="card row wrap" onSubmit={(event) => void create(event)} aria-label="New key">
        <label>
          Protocol
          <select name="protocol" defaultValue="sw-priv">
            {PROTOCOLS.map((protocol) => (
              <option key={protocol}>{protocol}</option>
            ))}
          </select>
        </label>
        <label>
          Challenge size
          <input name="challengeSize" type="number" min={1} max={100000} defaultValue={20} />
        </label>
        <button type="submit" className="primary">
          Create key
        </button>
      </form>
      <ErrorMessage error={error ?? keys.error} />
      {keys.data && list.length === 0 ? <p>No challenge keys yet.</p> : null}
      <ul className="cards">
        {list.map((key) => (
          <li key={key.key_id} className="card">
            <h2 className="mono">{key.key_id}</h2>
            <p>
              {key.protocol} · {key.suite} · c = {key.challenge_size}
              {key.created_at ? ` · created ${formatDate(key.created_at)}` : ''}
              {key.audit_count !== undefined ? ` · ${key.audit_count} audits` : ''}
            </p>
            <div className="row">
              <button
                type="button"
                aria-expanded={open === key.key_id}
                onClick={() => setOpen(open === key.key_id ? undefined : key.key_id)}
              >
                {open === key.key_id ? 'Hide setup' : 'Show setup'}
              </button>
              <button type="button" className="danger" onClick={() => void remove(key)}>
                Delete
              </button>
            </div>
            {open === key.key_id ? <KeySetup keyId={key.key_id} /> : null}
          </li>
        ))}
      </ul>
    </section>
  )
}

function KeySetup({ keyId }: { keyId: string }) {
  const setup = useApi<ChallengeKeySetup>(`${PROVER}/setup?key_id=${encodeURIComponent(keyId)}`)
  if (setup.error) return <ErrorMessage error={setup.error} />
  if (!setup.data) return <p>Loading…</p>
  const { client_setup: clientSetup, roots } = setup.data
  return (
    <div className="stack">
      <label>
        client_setup
        <textarea readOnly rows={4} value={clientSetup} className="mono" />
      </label>
      <div>
        <CopyButton text={clientSetup} label="Copy client_setup" />
      </div>
      <h3>Tagged roots</h3>
      {roots.length === 0 ? <p>No tagged roots yet.</p> : null}
      <ul>
        {roots.map((root) => (
          <li key={root.root}>
            <span className="mono" title={root.root}>
              {shortCid(root.root)}
            </span>
            {root.status ? <span className={`badge ${root.status}`}> {root.status}</span> : null}
            {root.chunk_count != null ? ` · ${root.chunk_count} chunks` : ''}
          </li>
        ))}
      </ul>
    </div>
  )
}
