import { useEffect, useRef, useState } from 'react'
import type { FormEvent } from 'react'
import type { PinStatus } from '../api/types.js'
import { ErrorMessage } from '../components/error-message.js'
import { formatBytes, gatewayUrl } from '../lib/format.js'
import { upload, type UploadKind } from '../lib/upload.js'
import { Link } from '../router.js'

const KINDS: readonly { kind: UploadKind; label: string; hint: string }[] = [
  { kind: 'files', label: 'Files', hint: 'one or more files' },
  { kind: 'folder', label: 'Folder', hint: 'a folder with everything in it' },
  { kind: 'car', label: 'CAR', hint: 'a content-addressed archive (.car)' },
]

/** Upload files, a folder or a CAR with a progress bar; the resulting CID links to the gateway. */
export function UploadPage() {
  const [kind, setKind] = useState<UploadKind>('files')
  const [progress, setProgress] = useState<{ loaded: number; total: number } | undefined>()
  const [result, setResult] = useState<PinStatus[] | undefined>()
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  const abort = useRef<AbortController | undefined>(undefined)

  // React has no prop for webkitdirectory; the attribute makes the picker choose a folder.
  useEffect(() => {
    if (kind === 'folder') input.current?.setAttribute('webkitdirectory', '')
    else input.current?.removeAttribute('webkitdirectory')
  }, [kind])

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const files = [...(input.current?.files ?? [])]
    if (files.length === 0) return setError(new Error('Choose something to upload first'))
    const name = String(new FormData(event.currentTarget).get('name') ?? '').trim()
    abort.current = new AbortController()
    setBusy(true)
    setError(undefined)
    setResult(undefined)
    setProgress({ loaded: 0, total: files.reduce((sum, file) => sum + file.size, 0) })
    try {
      const answer = await upload({
        kind,
        files,
        name: name || undefined,
        onProgress: (loaded, total) => setProgress({ loaded, total }),
        signal: abort.current.signal,
      })
      setResult(Array.isArray(answer) ? answer : [answer])
    } catch (cause) {
      setError(cause)
    } finally {
      setBusy(false)
    }
  }

  const percent = progress && progress.total > 0 ? (100 * progress.loaded) / progress.total : 0
  return (
    <section>
      <h1 tabIndex={-1}>Upload</h1>
      <form className="card stack" onSubmit={(event) => void submit(event)} aria-label="Upload">
        <fieldset>
          <legend>What to upload</legend>
          {KINDS.map((option) => (
            <label key={option.kind} className="inline">
              <input
                type="radio"
                name="kind"
                value={option.kind}
                checked={kind === option.kind}
                onChange={() => setKind(option.kind)}
              />{' '}
              {option.label} <span className="hint">({option.hint})</span>
            </label>
          ))}
        </fieldset>
        <label>
          {kind === 'folder' ? 'Folder' : kind === 'car' ? 'CAR file' : 'Files'}
          <input
            ref={input}
            key={kind}
            type="file"
            name="content"
            multiple={kind !== 'car'}
            accept={kind === 'car' ? '.car,application/vnd.ipld.car' : undefined}
          />
        </label>
        <label>
          <span>
            Pin name <span className="hint">(optional)</span>
          </span>
          <input name="name" maxLength={255} />
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Upload
          </button>
          {busy ? (
            <button type="button" onClick={() => abort.current?.abort()}>
              Cancel
            </button>
          ) : null}
        </div>
        {progress ? (
          <div>
            <label htmlFor="upload-progress">Progress</label>
            <progress id="upload-progress" max={100} value={percent} />
            <span className="hint">
              {' '}
              {formatBytes(progress.loaded)} of {formatBytes(progress.total)}
              {busy && percent >= 100 ? ' — storing and verifying…' : ''}
            </span>
          </div>
        ) : null}
      </form>
      <ErrorMessage error={error} />
      {result ? (
        <div className="card" role="status">
          <h2>Uploaded</h2>
          <ul>
            {result.map((pin) => (
              <li key={pin.requestid}>
                {pin.pin.name ? `${pin.pin.name}: ` : ''}
                <a href={gatewayUrl(pin.pin.cid)} className="mono" data-testid="upload-cid">
                  {pin.pin.cid}
                </a>{' '}
                <span className={`badge ${pin.status}`}>{pin.status}</span>
              </li>
            ))}
          </ul>
          <p>
            Follow it on the <Link href="/pins">Pins</Link> page.
          </p>
        </div>
      ) : null}
    </section>
  )
}
