// One fetch wrapper for every page: same-origin cookies, the CSRF header on every state-changing
// request, and the Pinning API error body turned into an ApiError the pages can show.

/** An answer other than 2xx, with the API's `{"error":{"reason","details"}}` when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly details: string | undefined,
  ) {
    super(details ? `${reason}: ${details}` : reason)
    this.name = 'ApiError'
  }
}

/** Reads the error body of a failed response (a non-JSON body still gives status and text). */
export async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '')
  return errorFromBody(response.status, text)
}

export function errorFromBody(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { error?: { reason?: unknown; details?: unknown } }
    const reason = typeof body.error?.reason === 'string' ? body.error.reason : `HTTP_${status}`
    const details = typeof body.error?.details === 'string' ? body.error.details : undefined
    return new ApiError(status, reason, details)
  } catch {
    return new ApiError(status, `HTTP_${status}`, text.slice(0, 200) || undefined)
  }
}

type CsrfSource = () => string | undefined
let csrfToken: CsrfSource = () => undefined
let onCsrfRejected: () => Promise<string | undefined> = async () => undefined
let onSignedOut: () => void = () => undefined

/**
 * The session provider tells the client where the current CSRF token is, how to renew it, and
 * what to do when the session ended elsewhere (expired, or signed out everywhere): a 401.
 */
export function configureSession(
  source: CsrfSource,
  renew: () => Promise<string | undefined>,
  signedOut: () => void,
): void {
  csrfToken = source
  onCsrfRejected = renew
  onSignedOut = signedOut
}

const SAFE_METHODS = new Set(['GET', 'HEAD'])

/** The headers a state-changing browser request carries (used by the upload's XHR too). */
export function csrfHeaders(): Record<string, string> {
  const token = csrfToken()
  return token ? { 'X-CSRF-Token': token } : {}
}

async function send(method: string, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (!SAFE_METHODS.has(method)) Object.assign(headers, csrfHeaders())
  return fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

/**
 * Calls the API and returns its JSON (undefined for 204). A 403 CSRF_FAILED (the session changed
 * in another tab) renews the token once and retries.
 *
 * @throws ApiError for any non-2xx answer.
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response = await send(method, path, body)
  if (response.status === 403 && !SAFE_METHODS.has(method)) {
    const error = await errorFrom(response.clone())
    if (error.reason === 'CSRF_FAILED' && (await onCsrfRejected())) {
      response = await send(method, path, body)
    }
  }
  if (response.status === 401 && path !== '/api/account/signin') onSignedOut()
  if (!response.ok) throw await errorFrom(response)
  if (response.status === 204) return undefined as T
  const text = await response.text()
  return (text ? JSON.parse(text) : undefined) as T
}

/** Query string from the defined, non-empty values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value))
  }
  const text = search.toString()
  return text ? `?${text}` : ''
}
