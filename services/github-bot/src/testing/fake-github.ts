import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'
import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express, { type Request, type Response } from 'express'
import { jwtVerify } from 'jose'
import { mountManifestRoutes } from './fake-manifest-flow.js'
import { repositoryTarball, type RepositoryFile } from './tarball.js'

/** An App key pair like the one GitHub hands out (PKCS#1 PEM). */
export function generateAppKey(): { privateKeyPem: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKey,
  }
}

/** A commit status as posted to the fake. */
export interface RecordedStatus {
  readonly repository: string
  readonly sha: string
  readonly state: string
  readonly description: string | undefined
  readonly context: string
  readonly targetUrl: string | undefined
}

/** A request to the archive/object host, with whether it carried an Authorization header. */
export interface ObjectRequest {
  readonly path: string
  readonly authorization: string | undefined
}

export interface FakeAsset {
  readonly id: number
  readonly name: string
  readonly content: string | Uint8Array
  /** `uploaded` (default) or `new` while uploading. */
  readonly state?: string
}

/** One rate-limit answer to give instead of the next API request. */
export interface RateLimitFault {
  readonly status: 403 | 429
  /** `retry-after` seconds (secondary limits); otherwise `x-ratelimit-remaining: 0` + reset. */
  readonly retryAfterSeconds?: number
  /** Seconds until `x-ratelimit-reset` (primary limits). Default 1. */
  readonly resetInSeconds?: number
}

export interface FakeGithub {
  /** The API root to configure as `GITHUB_API_URL`. */
  readonly url: string
  /** The second origin archives and assets redirect to. */
  readonly objectsUrl: string
  readonly appId: string
  /** The App's private key (PKCS#1 PEM) to configure as `GITHUB_PRIVATE_KEY`. */
  readonly privateKeyPem: string
  /** Installations that may get tokens (others answer 404). */
  addInstallation(id: number): void
  /** Serves `content` at `path` of `owner/repo` for `ref` (a sha or a tag). */
  setFile(repository: string, ref: string, path: string, content: string): void
  /** Serves the repository's archive at `ref` (tarball) built from these files. */
  setTree(repository: string, ref: string, files: readonly RepositoryFile[]): Promise<void>
  /**
   * A release whose asset list changes as it is read: the n-th GET answers `versions[n]`
   * (the last one from then on).
   */
  setRelease(
    repository: string,
    release: { id: number; tag: string; versions: readonly (readonly FakeAsset[])[] },
  ): void
  /** Answers the next API requests with these rate-limit errors, in order. */
  rateLimitNext(...faults: RateLimitFault[]): void
  readonly statuses: RecordedStatus[]
  readonly objectRequests: ObjectRequest[]
  /** Every API request as `METHOD path` with its status, in order. */
  readonly requests: { method: string; path: string; status: number }[]
  /** App manifests posted to the fake's `/settings/apps/new`. */
  readonly manifests: readonly Record<string, unknown>[]
  /** Installation tokens issued so far. */
  tokensIssued(): number
  stop(): Promise<void>
}

interface ReleaseState {
  id: number
  tag: string
  versions: readonly (readonly FakeAsset[])[]
  reads: number
}

const notFound = (res: Response) =>
  res.status(404).json({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' })

/**
 * A fake GitHub REST API on 127.0.0.1 that enforces what the bot must get right: the App JWT
 * (RS256 with the App's key, `iss` = app id, at most 10 minutes) for installation tokens, those
 * tokens for everything else, commit status rules (state enum, 422 for a description over 140
 * characters), redirects of archives and assets to a second host (which records whether an
 * Authorization header leaked there), release asset lists that change between reads, and
 * rate-limit answers on demand. State lives in memory; start one per test file.
 */
export async function startFakeGithub(
  options: {
    appId?: string
    /** Serve the REST API under this path, as Enterprise Server does (`/api/v3`). */
    apiPrefix?: string
  } = {},
): Promise<FakeGithub> {
  const appId = options.appId ?? String(100_000 + Math.floor(Math.random() * 800_000))
  const key = generateAppKey()
  const installations = new Set<number>()
  const tokens = new Map<string, { installationId: number; expiresAt: number }>()
  const files = new Map<string, string>()
  const tarballs = new Map<string, Buffer>()
  const releases = new Map<string, ReleaseState>()
  const assets = new Map<number, Buffer>()
  const faults: RateLimitFault[] = []
  const statuses: RecordedStatus[] = []
  const objectRequests: ObjectRequest[] = []
  const requests: { method: string; path: string; status: number }[] = []
  const manifests: Record<string, unknown>[] = []
  let issued = 0

  const objects = express()
  objects.use((req, res, next) => {
    objectRequests.push({ path: req.path, authorization: req.headers.authorization })
    next()
  })
  objects.get('/codeload/:key', (req, res) => {
    const body = tarballs.get(decodeURIComponent(req.params.key))
    if (body === undefined) return notFound(res)
    res.type('application/x-gzip').send(body)
  })
  objects.get('/assets/:id', (req, res) => {
    const body = assets.get(Number(req.params.id))
    if (body === undefined) return notFound(res)
    res.type('application/octet-stream').send(body)
  })
  const objectsServer: Server = objects.listen(0, '127.0.0.1')
  await once(objectsServer, 'listening')
  const objectsUrl = `http://127.0.0.1:${(objectsServer.address() as AddressInfo).port}`

  const api = express()
  api.use(express.json({ limit: '1mb' }))
  api.use((req, res, next) => {
    res.on('finish', () =>
      requests.push({ method: req.method, path: req.path, status: res.statusCode }),
    )
    const fault = faults.shift()
    if (fault === undefined) return next()
    if (fault.retryAfterSeconds !== undefined) {
      res.setHeader('retry-after', String(fault.retryAfterSeconds))
      return res.status(fault.status).json({ message: 'You have exceeded a secondary rate limit.' })
    }
    res.setHeader('x-ratelimit-limit', '5000')
    res.setHeader('x-ratelimit-remaining', '0')
    res.setHeader(
      'x-ratelimit-reset',
      String(Math.ceil(Date.now() / 1000) + (fault.resetInSeconds ?? 1)),
    )
    return res.status(fault.status).json({ message: 'API rate limit exceeded for installation.' })
  })

  api.post('/app/installations/:id/access_tokens', async (req, res) => {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    if (bearer === undefined)
      return res.status(401).json({ message: 'A JSON web token could not be decoded' })
    try {
      const { payload } = await jwtVerify(bearer, key.publicKey, { algorithms: ['RS256'] })
      if (String(payload.iss) !== appId) throw new Error('wrong issuer')
      if (
        payload.exp === undefined ||
        payload.iat === undefined ||
        payload.exp - payload.iat > 600
      ) {
        throw new Error('expiration too far in the future')
      }
    } catch (error) {
      return res
        .status(401)
        .json({ message: `'Issued at' claim or JWT invalid: ${(error as Error).message}` })
    }
    const installationId = Number(req.params.id)
    if (!installations.has(installationId)) return notFound(res)
    const token = `ghs_${randomBytes(18).toString('hex')}`
    const expiresAt = Date.now() + 60 * 60 * 1000
    tokens.set(token, { installationId, expiresAt })
    issued += 1
    res.status(201).json({
      token,
      expires_at: new Date(expiresAt).toISOString(),
      permissions: { contents: 'read', statuses: 'write' },
      repository_selection: 'all',
    })
  })

  // Everything under /repos needs a live installation token.
  api.use('/repos', (req, res, next) => {
    const token = /^(?:token|Bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const known = token === undefined ? undefined : tokens.get(token)
    if (known === undefined || known.expiresAt < Date.now()) {
      return res.status(401).json({ message: 'Bad credentials' })
    }
    next()
  })

  api.get('/repos/:owner/:repo/contents/*path', (req: Request, res) => {
    const repository = `${req.params.owner}/${req.params.repo}`
    const path = ([] as string[]).concat(req.params.path ?? []).join('/')
    const ref = String(req.query.ref ?? 'HEAD')
    const content = files.get(`${repository}@${ref}:${path}`)
    if (content === undefined) return notFound(res)
    if ((req.headers.accept ?? '').includes('raw')) return res.type('text/plain').send(content)
    res.json({
      type: 'file',
      path,
      encoding: 'base64',
      content: Buffer.from(content).toString('base64'),
    })
  })

  const archiveRedirect = (req: Request, res: Response) => {
    const key = `${req.params.owner}/${req.params.repo}@${String(req.params.ref)}`
    if (!tarballs.has(key)) return notFound(res)
    res.redirect(302, `${objectsUrl}/codeload/${encodeURIComponent(key)}`)
  }
  api.get('/repos/:owner/:repo/tarball/:ref', archiveRedirect)
  api.get('/repos/:owner/:repo/zipball/:ref', archiveRedirect)

  api.get('/repos/:owner/:repo/releases/assets/:id', (req, res) => {
    if (!assets.has(Number(req.params.id))) return notFound(res)
    if (req.headers.accept !== 'application/octet-stream') {
      return res
        .status(415)
        .json({ message: 'this fake serves assets as application/octet-stream only' })
    }
    res.redirect(302, `${objectsUrl}/assets/${req.params.id}`)
  })

  api.get('/repos/:owner/:repo/releases/:id', (req, res) => {
    const release = releases.get(`${req.params.owner}/${req.params.repo}#${req.params.id}`)
    if (release === undefined) return notFound(res)
    const version = release.versions[Math.min(release.reads, release.versions.length - 1)] ?? []
    release.reads += 1
    res.json({
      id: release.id,
      tag_name: release.tag,
      draft: false,
      prerelease: false,
      assets: version.map((asset) => ({
        id: asset.id,
        name: asset.name,
        size: Buffer.from(asset.content).length,
        state: asset.state ?? 'uploaded',
        content_type: 'application/octet-stream',
        url: `${req.protocol}://${req.get('host')}/repos/${req.params.owner}/${req.params.repo}/releases/assets/${asset.id}`,
      })),
    })
  })

  api.post('/repos/:owner/:repo/statuses/:sha', (req, res) => {
    const body = req.body as {
      state?: unknown
      description?: unknown
      context?: unknown
      target_url?: unknown
    }
    const errors: { resource: string; code: string; field: string; message?: string }[] = []
    if (!['error', 'failure', 'pending', 'success'].includes(String(body.state))) {
      errors.push({
        resource: 'Status',
        code: 'custom',
        field: 'state',
        message: 'state is not included in the list',
      })
    }
    if (typeof body.description === 'string' && [...body.description].length > 140) {
      errors.push({
        resource: 'Status',
        code: 'custom',
        field: 'description',
        message: 'description is too long (maximum is 140 characters)',
      })
    }
    if (errors.length > 0) return res.status(422).json({ message: 'Validation Failed', errors })
    const status: RecordedStatus = {
      repository: `${req.params.owner}/${req.params.repo}`,
      sha: String(req.params.sha),
      state: String(body.state),
      description: typeof body.description === 'string' ? body.description : undefined,
      context: typeof body.context === 'string' ? body.context : 'default',
      targetUrl: typeof body.target_url === 'string' ? body.target_url : undefined,
    }
    statuses.push(status)
    res.status(201).json({ id: statuses.length, ...status })
  })

  mountManifestRoutes(api, { appId, privateKeyPem: key.privateKeyPem, manifests })

  api.use((req, res) => notFound(res))

  const root = express()
  root.use(options.apiPrefix ?? '/', api)
  const apiServer: Server = root.listen(0, '127.0.0.1')
  await once(apiServer, 'listening')
  const url = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}${options.apiPrefix ?? ''}`

  return {
    url,
    objectsUrl,
    appId,
    privateKeyPem: key.privateKeyPem,
    addInstallation: (id) => installations.add(id),
    setFile: (repository, ref, path, content) => files.set(`${repository}@${ref}:${path}`, content),
    async setTree(repository, ref, tree) {
      const [owner = '', repo = ''] = repository.split('/')
      tarballs.set(
        `${repository}@${ref}`,
        await repositoryTarball(tree, { owner, repo, sha: ref.padEnd(7, '0') }),
      )
    },
    setRelease(repository, release) {
      for (const version of release.versions) {
        for (const asset of version) assets.set(asset.id, Buffer.from(asset.content))
      }
      releases.set(`${repository}#${release.id}`, { ...release, reads: 0 })
    },
    rateLimitNext: (...next) => faults.push(...next),
    statuses,
    objectRequests,
    manifests,
    requests,
    tokensIssued: () => issued,
    async stop() {
      apiServer.closeAllConnections()
      objectsServer.closeAllConnections()
      await Promise.all([
        new Promise((resolve) => apiServer.close(resolve)),
        new Promise((resolve) => objectsServer.close(resolve)),
      ])
    },
  }
}
