import { randomBytes } from 'node:crypto'
import express, { type Express } from 'express'

/**
 * The web side of GitHub's App manifest flow, for the fake: `POST /settings/apps/new` creates
 * the App at once (GitHub shows a confirmation page first) and redirects to the manifest's
 * `redirect_url` with a one-time code; `POST /app-manifests/{code}/conversions` answers the
 * App's credentials (the fake's own App id and key, so a registered bot works against it).
 */
export function mountManifestRoutes(
  api: Express,
  options: { appId: string; privateKeyPem: string; manifests: Record<string, unknown>[] },
): void {
  const codes = new Set<string>()
  api.post('/settings/apps/new', express.urlencoded({ extended: false }), (req, res) => {
    const manifest = JSON.parse(String((req.body as { manifest?: unknown }).manifest ?? '{}')) as {
      name?: string
      redirect_url?: string
    }
    if (manifest.redirect_url === undefined)
      return res.status(422).send('manifest without redirect_url')
    options.manifests.push(manifest)
    const code = randomBytes(10).toString('hex')
    codes.add(code)
    const target = new URL(manifest.redirect_url)
    target.searchParams.set('code', code)
    target.searchParams.set('state', String(req.query.state ?? ''))
    res.redirect(302, target.toString())
  })

  api.post('/app-manifests/:code/conversions', (req, res) => {
    if (!codes.delete(req.params.code)) return res.status(404).json({ message: 'Not Found' })
    const manifest = (options.manifests.at(-1) ?? {}) as { name?: string }
    res.status(201).json({
      id: Number(options.appId),
      slug: 'pinion-test',
      name: manifest.name ?? 'Pinion',
      html_url: 'https://github.com/apps/pinion-test',
      client_id: 'Iv1.0123456789abcdef',
      client_secret: randomBytes(20).toString('hex'),
      webhook_secret: randomBytes(20).toString('hex'),
      pem: options.privateKeyPem,
    })
  })
}
