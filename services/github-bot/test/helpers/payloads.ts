import { createRequire } from 'node:module'

/**
 * Real webhook payloads from `@octokit/webhooks-examples` (recorded from github.com), with the
 * fields a test controls set on top: installation, repository, commit, ref, assets.
 */
interface Example {
  name: string
  examples: Record<string, unknown>[]
}

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Example[]

function example(
  event: string,
  pick: (payload: Record<string, unknown>) => boolean,
): Record<string, unknown> {
  const found = examples.find((entry) => entry.name === event)?.examples.find(pick)
  if (found === undefined) throw new Error(`no ${event} example`)
  return structuredClone(found)
}

/** The account that owns the examples' repository (Codertocat/Hello-World). */
export const exampleAccount = { id: 21031067, login: 'Codertocat' }
export const exampleRepository = 'Codertocat/Hello-World'

export function pushPayload(options: { installationId: number; sha: string; ref?: string }) {
  const payload = example('push', (candidate) => candidate.installation !== undefined)
  return {
    ...payload,
    ref: options.ref ?? 'refs/heads/main',
    before: '0'.repeat(40),
    after: options.sha,
    deleted: false,
    created: false,
    installation: {
      id: options.installationId,
      node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==',
    },
  }
}

export function releasePayload(options: {
  installationId: number
  releaseId: number
  tag: string
  assets?: { id: number; name: string; size: number; state?: string; digest?: string }[]
}) {
  const payload = example('release', (candidate) => candidate.action === 'published')
  const release = payload.release as Record<string, unknown>
  return {
    ...payload,
    release: {
      ...release,
      id: options.releaseId,
      tag_name: options.tag,
      assets: (options.assets ?? []).map((asset) => ({
        state: 'uploaded',
        content_type: 'application/octet-stream',
        ...asset,
      })),
    },
    installation: {
      id: options.installationId,
      node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==',
    },
  }
}

export function installationPayload(options: { installationId: number; action?: string }) {
  const payload = example(
    'installation',
    (candidate) => candidate.action === (options.action ?? 'created'),
  )
  const installation = payload.installation as Record<string, unknown>
  return { ...payload, installation: { ...installation, id: options.installationId } }
}

export function installationRepositoriesPayload(installationId: number) {
  const payload = example('installation_repositories', (candidate) => candidate.action === 'added')
  const installation = payload.installation as Record<string, unknown>
  return { ...payload, installation: { ...installation, id: installationId } }
}

export function pingPayload() {
  return example('ping', () => true)
}
