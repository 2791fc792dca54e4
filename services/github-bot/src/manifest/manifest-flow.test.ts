import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeGithub, type FakeGithub } from '../testing.js'
import { startManifestFlow } from './manifest-flow.js'

let github: FakeGithub
beforeAll(async () => {
  github = await startFakeGithub()
})
afterAll(() => github.stop())

/** What a browser does with the page: read the form, post it, follow GitHub's redirect. */
async function actAsBrowser(pageUrl: string): Promise<Response> {
  const page = await (await fetch(pageUrl)).text()
  const action = /action="([^"]+)"/.exec(page)?.[1]?.replace(/&#38;/g, '&') ?? ''
  const manifest = (/name="manifest" value="([^"]+)"/.exec(page)?.[1] ?? '').replace(
    /&#(\d+);/g,
    (_, code: string) => String.fromCharCode(Number(code)),
  )
  const posted = await fetch(action, {
    method: 'POST',
    body: new URLSearchParams({ manifest }),
    redirect: 'manual',
  })
  expect(posted.status).toBe(302)
  return fetch(posted.headers.get('location') ?? '')
}

describe('the manifest flow', () => {
  it('posts Pinion’s manifest to GitHub and converts the code into the App credentials', async () => {
    const flow = await startManifestFlow({
      publicUrl: 'https://pinion.example.org',
      webUrl: github.url,
      apiUrl: github.url,
    })
    try {
      const callback = await actAsBrowser(flow.url)
      expect(callback.status).toBe(200)
      const app = await flow.registered
      expect(app).toMatchObject({
        id: Number(github.appId),
        slug: 'pinion-test',
        pem: github.privateKeyPem,
      })
      expect(app.webhookSecret).toMatch(/^[0-9a-f]{40}$/)
      expect(github.manifests.at(-1)).toMatchObject({
        name: 'Pinion (pinion.example.org)',
        url: 'https://pinion.example.org',
        hook_attributes: { url: 'https://pinion.example.org/github/webhooks', active: true },
        public: false,
        default_permissions: { contents: 'read', statuses: 'write', metadata: 'read' },
        default_events: ['push', 'release'],
      })
    } finally {
      await flow.close()
    }
  })

  it('refuses a callback with the wrong state', async () => {
    const flow = await startManifestFlow({
      publicUrl: 'https://pinion.example.org',
      webUrl: github.url,
      apiUrl: github.url,
    })
    try {
      const response = await fetch(`${flow.url}callback?code=abc&state=forged`)
      expect(response.status).toBe(400)
    } finally {
      await flow.close()
    }
  })
})
