import { useCallback, useState } from 'react'
import type { FormEvent } from 'react'
import { api, query } from '../api/client.js'
import { PIN_STATUSES, type PinResults, type PinStatus, type PinStatusEvent } from '../api/types.js'
import { DataTable } from '../components/data-table.js'
import { ErrorMessage } from '../components/error-message.js'
import { formatDate, gatewayUrl, shortCid } from '../lib/format.js'
import { useApi } from '../lib/use-api.js'
import { usePinEvents } from '../lib/use-pin-events.js'

const PAGE_SIZE = 20
const MATCHES = ['exact', 'iexact', 'partial', 'ipartial'] as const

interface Filters {
  readonly status: readonly string[]
  readonly name: string
  readonly match: string
  readonly cid: string
}

const NO_FILTERS: Filters = { status: [], name: '', match: 'exact', cid: '' }

/** The user's pins with the Pinning API's filters, paging, delete, replace and live status. */
export function PinsPage() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  // `before` of each page shown so far: Older pushes the last row's `created`, Newer pops.
  const [pages, setPages] = useState<readonly string[]>([])
  const before = pages.at(-1)
  const path =
    '/api/account/pins' +
    query({
      status: filters.status.join(','),
      name: filters.name,
      match: filters.name ? filters.match : undefined,
      cid: filters.cid,
      before,
      limit: PAGE_SIZE,
    })
  const pins = useApi<PinResults>(path)
  const [live, setLive] = useState<Record<string, PinStatusEvent>>({})
  const [error, setError] = useState<unknown>()

  const { reload } = pins
  const onEvent = useCallback(
    (event: PinStatusEvent) => {
      setLive((previous) => ({ ...previous, [event.requestid]: event }))
      // A pin not on this page (say, one just uploaded) may belong on the first page.
      if (before === undefined && !pins.data?.results.some((p) => p.requestid === event.requestid))
        void reload()
    },
    [before, pins.data, reload],
  )
  usePinEvents(onEvent)

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setFilters({
      status: PIN_STATUSES.filter((status) => form.get(`status-${status}`) === 'on'),
      name: String(form.get('name') ?? '').trim(),
      match: String(form.get('match') ?? 'exact'),
      cid: String(form.get('cid') ?? '').trim(),
    })
    setPages([])
  }

  const remove = async (pin: PinStatus) => {
    if (!window.confirm(`Delete the pin of ${pin.pin.name ?? pin.pin.cid}?`)) return
    setError(undefined)
    try {
      await api('DELETE', `/api/account/pins/${encodeURIComponent(pin.requestid)}`)
      await reload()
    } catch (cause) {
      setError(cause)
    }
  }

  const replace = async (pin: PinStatus, cid: string) => {
    setError(undefined)
    try {
      await api<PinStatus>('POST', `/api/account/pins/${encodeURIComponent(pin.requestid)}`, {
        cid,
        ...(pin.pin.name ? { name: pin.pin.name } : {}),
      })
      await reload()
      return true
    } catch (cause) {
      setError(cause)
      return false
    }
  }

  const results = pins.data?.results ?? []
  const last = results.at(-1)
  return (
    <section>
      <h1 tabIndex={-1}>Pins</h1>
      <form className="card filters" onSubmit={applyFilters} aria-label="Filter pins">
        <fieldset>
          <legend>Status</legend>
          {PIN_STATUSES.map((status) => (
            <label key={status} className="inline">
              <input type="checkbox" name={`status-${status}`} /> {status}
            </label>
          ))}
        </fieldset>
        <label>
          Name
          <input name="name" maxLength={255} />
        </label>
        <label>
          Match
          <select name="match" defaultValue="exact">
            {MATCHES.map((match) => (
              <option key={match}>{match}</option>
            ))}
          </select>
        </label>
        <label>
          <span>
            CID <span className="hint">(comma-separated)</span>
          </span>
          <input name="cid" spellCheck={false} />
        </label>
        <div className="row">
          <button type="submit" className="primary">
            Filter
          </button>
          <button
            type="reset"
            onClick={() => {
              setFilters(NO_FILTERS)
              setPages([])
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorMessage error={error ?? pins.error} />
      <p aria-live="polite" className="hint">
        {pins.loading ? 'Loading…' : pins.data ? `${pins.data.count} pins match.` : ''}
      </p>
      {results.length > 0 ? (
        <DataTable columns={['Name', 'CID', 'Status', 'Created']} className="pins">
          {results.map((pin) => (
            <PinRow
              key={pin.requestid}
              pin={pin}
              live={live[pin.requestid]}
              onDelete={() => void remove(pin)}
              onReplace={(cid) => replace(pin, cid)}
            />
          ))}
        </DataTable>
      ) : pins.data ? (
        <p>No pins here yet. Upload something, or pin a CID with the API.</p>
      ) : null}
      <nav className="row" aria-label="Pages">
        <button type="button" disabled={pages.length === 0} onClick={() => setPages([])}>
          Newest
        </button>
        <button
          type="button"
          disabled={pages.length === 0}
          onClick={() => setPages((previous) => previous.slice(0, -1))}
        >
          Newer
        </button>
        <button
          type="button"
          disabled={!last || results.length < PAGE_SIZE}
          onClick={() => last && setPages((previous) => [...previous, last.created])}
        >
          Older
        </button>
      </nav>
    </section>
  )
}

interface PinRowProps {
  readonly pin: PinStatus
  readonly live: PinStatusEvent | undefined
  onDelete(): void
  onReplace(cid: string): Promise<boolean>
}

function PinRow({ pin, live, onDelete, onReplace }: PinRowProps) {
  const [replacing, setReplacing] = useState(false)
  const status = live?.status ?? pin.status
  const reason = live?.info?.reason ?? pin.info?.reason
  const label = pin.pin.name ?? pin.pin.cid
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const cid = String(new FormData(event.currentTarget).get('cid') ?? '').trim()
    if (cid && (await onReplace(cid))) setReplacing(false)
  }
  return (
    <tr data-requestid={pin.requestid}>
      <td>{pin.pin.name ?? <span className="hint">unnamed</span>}</td>
      <td>
        <a href={gatewayUrl(pin.pin.cid)} title={pin.pin.cid} className="mono">
          {shortCid(pin.pin.cid)}
        </a>
      </td>
      <td>
        <span className={`badge ${status}`} data-testid="pin-status">
          {status}
        </span>
        {typeof reason === 'string' ? <div className="hint">{reason}</div> : null}
      </td>
      <td>{formatDate(pin.created)}</td>
      <td className="actions">
        {replacing ? (
          <form onSubmit={(event) => void submit(event)} className="row">
            <label>
              <span className="visually-hidden">New CID for {label}</span>
              <input name="cid" required spellCheck={false} placeholder="new CID" />
            </label>
            <button type="submit">Save</button>
            <button type="button" onClick={() => setReplacing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <>
            <button
              type="button"
              onClick={() => setReplacing(true)}
              aria-label={`Replace ${label}`}
            >
              Replace
            </button>
            <button
              type="button"
              className="danger"
              onClick={onDelete}
              aria-label={`Delete ${label}`}
            >
              Delete
            </button>
          </>
        )}
      </td>
    </tr>
  )
}
