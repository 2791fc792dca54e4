import { AppError } from '@pinion/service-kit'

/** The GitHub App manifest Pinion registers (GitHub's "registering an App from a manifest"). */
export interface AppManifest {
  name: string
  url: string
  hook_attributes: { url: string; active: boolean }
  redirect_url: string
  description: string
  public: boolean
  default_permissions: Record<string, 'read' | 'write'>
  default_events: string[]
}

/**
 * The manifest of a Pinion App: contents read (config, tarballs, releases), statuses write,
 * metadata read; `push` and `release` events (installation events come without subscribing).
 * Private by default: only the owning account can install it, so strangers cannot spend the
 * operator's storage.
 */
export function buildAppManifest(options: {
  publicUrl: string
  redirectUrl: string
  name?: string
  public?: boolean
}): AppManifest {
  const base = options.publicUrl.replace(/\/+$/, '')
  return {
    name: options.name ?? `Pinion (${new URL(base).host})`,
    url: base,
    hook_attributes: { url: `${base}/github/webhooks`, active: true },
    redirect_url: options.redirectUrl,
    description: 'Pins release assets and repository folders to IPFS with Pinion.',
    public: options.public ?? false,
    default_permissions: { contents: 'read', statuses: 'write', metadata: 'read' },
    default_events: ['push', 'release'],
  }
}

/** Where the manifest form is posted: a personal account's or an organisation's App settings. */
export function manifestFormUrl(webUrl: string, state: string, organization?: string): string {
  const base = webUrl.replace(/\/+$/, '')
  const path =
    organization === undefined
      ? '/settings/apps/new'
      : `/organizations/${encodeURIComponent(organization)}/settings/apps/new`
  return `${base}${path}?state=${encodeURIComponent(state)}`
}

/** What GitHub answers for a converted manifest code: the new App's credentials. */
export interface RegisteredApp {
  readonly id: number
  readonly slug: string
  readonly htmlUrl: string
  readonly pem: string
  readonly webhookSecret: string
  readonly clientId: string
  readonly clientSecret: string
}

/** GitHub refused the manifest code (expired after an hour, or used already). */
export class ManifestConversionError extends AppError {
  constructor(status: number) {
    super('BAD_REQUEST', {
      details: `GitHub answered ${status} to the manifest code (codes are single-use and expire after an hour)`,
    })
  }
}

/**
 * Exchanges the one-time code GitHub sent to the redirect URL for the App's credentials
 * (`POST /app-manifests/{code}/conversions`, no authentication).
 */
export async function convertManifestCode(apiUrl: string, code: string): Promise<RegisteredApp> {
  const response = await fetch(
    `${apiUrl.replace(/\/+$/, '')}/app-manifests/${encodeURIComponent(code)}/conversions`,
    {
      method: 'POST',
      headers: { accept: 'application/vnd.github+json', 'user-agent': 'pinion-github-bot' },
    },
  )
  if (response.status !== 201) throw new ManifestConversionError(response.status)
  const body = (await response.json()) as {
    id: number
    slug: string
    html_url: string
    pem: string
    webhook_secret: string
    client_id: string
    client_secret: string
  }
  return {
    id: body.id,
    slug: body.slug,
    htmlUrl: body.html_url,
    pem: body.pem,
    webhookSecret: body.webhook_secret,
    clientId: body.client_id,
    clientSecret: body.client_secret,
  }
}
