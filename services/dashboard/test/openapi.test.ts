import type { Router } from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRoutes } from '../src/index.js'
import { openApiDocument } from '../src/openapi.js'
import { startTestDashboard, type TestDashboard } from './helpers/dashboard.js'

let dashboard: TestDashboard

beforeAll(async () => {
  dashboard = await startTestDashboard()
})
afterAll(() => dashboard.close())

interface Layer {
  route?: { path: string; methods: Record<string, boolean> }
  handle?: { stack?: Layer[] }
}

/** Every `METHOD /path` of a router and the routers inside it (all mounted without a path). */
function routesOf(router: Router): string[] {
  const found: string[] = []
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods))
          found.push(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`)
      } else if (layer.handle?.stack) walk(layer.handle.stack)
    }
  }
  walk((router as unknown as { stack: Layer[] }).stack)
  return found.sort()
}

describe('OpenAPI document', () => {
  it('documents exactly the routes the account router serves', () => {
    const documented = Object.entries(openApiDocument.paths)
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
          .map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort()
    // The GitHub and OIDC routes exist only when configured; count them as served.
    const served = new Set([
      ...routesOf(createRoutes(dashboard.deps)),
      'GET /auth/github',
      'GET /auth/github/callback',
      'GET /auth/oidc/{name}',
      'GET /auth/oidc/{name}/callback',
    ])
    expect(documented).toEqual([...served].sort())
  })

  it('is served at /api/account/openapi.json without signing in', async () => {
    const answer = await dashboard.browser().request('GET', '/api/account/openapi.json')
    expect(answer.status).toBe(200)
    expect((answer.body as { openapi: string }).openapi).toBe('3.1.0')
  })
})
