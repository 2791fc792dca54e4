import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { notFoundHandler } from '@pinion/service-kit'
import express from 'express'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { webApp } from './web-app.js'

let webRoot: string
const INDEX = '<!doctype html><title>Pinion</title><script src="/assets/index-AbC123.js"></script>'

beforeAll(async () => {
  webRoot = await mkdtemp(join(tmpdir(), 'pinion-web-'))
  await mkdir(join(webRoot, 'assets'))
  await writeFile(join(webRoot, 'index.html'), INDEX)
  await writeFile(join(webRoot, 'assets', 'index-AbC123.js'), 'console.log(1)')
})
afterAll(() => rm(webRoot, { recursive: true, force: true }))

function app(root = webRoot) {
  const app = express()
  app.get('/api/account/session', (_req, res) => res.json({ user: null }))
  app.use(webApp({ webRoot: root }))
  app.use(notFoundHandler)
  return app
}

describe('webApp', () => {
  it('serves index.html at / and at client-side routes, never cached, with a CSP', async () => {
    for (const path of ['/', '/pins', '/tokens', '/signin', '/index.html']) {
      const res = await request(app()).get(path)
      expect(res.status, path).toBe(200)
      expect(res.type).toBe('text/html')
      expect(res.text).toBe(INDEX)
      expect(res.headers['cache-control']).toBe('no-cache')
      expect(res.headers['content-security-policy']).toContain("script-src 'self'")
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    }
  })

  it('serves hashed assets as immutable for a year', async () => {
    const res = await request(app()).get('/assets/index-AbC123.js')
    expect(res.status).toBe(200)
    expect(res.text).toBe('console.log(1)')
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
  })

  it('leaves service paths and missing files to the JSON 404', async () => {
    for (const path of [
      '/api/account/nope',
      '/pinning/api/v1/x',
      '/gateway/web/ipfs/x/',
      '/a.png',
    ]) {
      const res = await request(app()).get(path)
      expect(res.status, path).toBe(404)
      expect(res.body.error.reason).toBe('NOT_FOUND')
    }
    const missingAsset = await request(app()).get('/assets/index-old.js')
    expect(missingAsset.status).toBe(404)
    // Routes mounted before it still answer.
    expect((await request(app()).get('/api/account/session')).body).toEqual({ user: null })
  })

  it('does not answer other methods with the app', async () => {
    const res = await request(app()).post('/pins')
    expect(res.status).toBe(404)
  })

  it('serves other files of the build for an hour', async () => {
    await writeFile(join(webRoot, 'robots.txt'), 'User-agent: *')
    const res = await request(app()).get('/robots.txt')
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('public, max-age=3600')
  })

  it('says the app is not built rather than serving nothing', async () => {
    const res = await request(app(join(webRoot, 'missing'))).get('/pins')
    expect(res.status).toBe(503)
    expect(res.body.error.details).toContain('pnpm build')
  })
})
