import { ApiError } from '../api/client.js'

/** An API error as the user should read it: the reason code and the server's details. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null
  let title = 'Something went wrong'
  let details = error instanceof Error ? error.message : String(error)
  if (error instanceof ApiError) {
    title = error.reason
    details = error.details ?? `HTTP ${error.status}`
  }
  return (
    <div className="error" role="alert">
      <strong>{title}</strong>
      {details ? <span> — {details}</span> : null}
    </div>
  )
}
