import { randomBytes, timingSafeEqual } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  buildAppManifest,
  convertManifestCode,
  manifestFormUrl,
  type RegisteredApp,
} from './app-manifest.js'

export interface ManifestFlowOptions {
  /** Pinion's public URL: the App's homepage and webhook (`/github/webhooks`). */
  readonly publicUrl: string
  /** `https://github.com` or `https://HOST` (Enterprise Server). */
  readonly webUrl: string
  /** `https://api.github.com` or `https://HOST/api/v3`. */
  readonly apiUrl: string
  readonly name?: string
  /** Register the App under this organisation instead of the signed-in user. */
  readonly organization?: string
  /** Local port of the helper page; 0 picks one. */
  readonly port?: number
}

export interface ManifestFlow {
  /** Open this in a browser signed in to GitHub. */
  readonly url: string
  /** Resolves with the App once GitHub redirected back and the code was converted. */
  readonly registered: Promise<RegisteredApp>
  close(): Promise<void>
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

/**
 * The manifest flow for self-hosters, run from the operator's machine: a page on 127.0.0.1
 * posts Pinion's App manifest to GitHub; GitHub creates the App and redirects back with a
 * one-time code (checked against a random `state`), which is converted into the App id,
 * private key and webhook secret. Everything stays between the browser, this process and GitHub.
 */
export async function startManifestFlow(options: ManifestFlowOptions): Promise<ManifestFlow> {
  const state = randomBytes(16).toString('hex')
  let settle: { resolve: (app: RegisteredApp) => void; reject: (error: Error) => void } | undefined
  const registered = new Promise<RegisteredApp>((resolve, reject) => {
    settle = { resolve, reject }
  })
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    if (url.pathname === '/') {
      const manifest = buildAppManifest({
        publicUrl: options.publicUrl,
        redirectUrl: `${local}/callback`,
        ...(options.name === undefined ? {} : { name: options.name }),
      })
      const action = manifestFormUrl(options.webUrl, state, options.organization)
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(`<!doctype html><title>Register Pinion's GitHub App</title>
<form id="manifest" method="post" action="${escapeHtml(action)}">
<input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(manifest))}">
<p>This creates a GitHub App for Pinion at ${escapeHtml(options.publicUrl)}.</p>
<button type="submit">Create the GitHub App</button></form>
<script>document.getElementById('manifest').submit()</script>`)
      return
    }
    if (url.pathname === '/callback') {
      const code = url.searchParams.get('code')
      const given = Buffer.from(url.searchParams.get('state') ?? '')
      if (
        code === null ||
        given.length !== state.length ||
        !timingSafeEqual(given, Buffer.from(state))
      ) {
        res.writeHead(400, { 'content-type': 'text/plain' })
        res.end('missing code or wrong state: start again from the first page')
        return
      }
      convertManifestCode(options.apiUrl, code).then(
        (app) => {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          res.end(
            `<!doctype html><title>GitHub App created</title><p>Created <a href="${escapeHtml(app.htmlUrl)}">${escapeHtml(app.slug)}</a>. The credentials were written by the command; you can close this page.</p>`,
          )
          settle?.resolve(app)
        },
        (error: Error) => {
          res.writeHead(502, { 'content-type': 'text/plain' })
          res.end(error.message)
          settle?.reject(error)
        },
      )
      return
    }
    res.writeHead(404).end()
  })
  server.listen(options.port ?? 0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    registered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
