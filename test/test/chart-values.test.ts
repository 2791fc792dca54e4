import { describe, expect, it } from 'vitest'
import { release, renderChart } from '../src/chart.js'
import { helm } from '../src/helm.js'
import { chartDir } from '../src/paths.js'

/** Renders the default chart with extra `--set` arguments; returns Helm's error output. */
async function renderError(...args: string[]): Promise<string> {
  const result = await helm(['template', release.name, chartDir, ...args])
  expect(result.code, 'the render should have failed').not.toBe(0)
  return result.stderr
}

describe('values.schema.json', () => {
  it.each([
    [['--set', 'gateway.replicaCount=one'], "'/gateway/replicaCount': got string, want integer"],
    [
      ['--set-string', 'worker.autoscaling.enabled=yes'],
      "'/worker/autoscaling/enabled': got string, want boolean",
    ],
    [['--set', 'kubo.replicas=0'], "'/kubo/replicas': minimum"],
    [['--set', 'nats.replicas=2'], '/nats/replicas'],
    [['--set', 'gatway.replicaCount=3'], "additional properties 'gatway' not allowed"],
    [
      ['--set', 'dashboard.secretEnv.SESSION_SECRET=plain-text-secret'],
      '/dashboard/secretEnv/SESSION_SECRET',
    ],
    [['--set', 'upload.spoolSizeLimit=lots'], '/upload/spoolSizeLimit'],
    [['--set', 'common.env.bad-name=1'], "invalid propertyName 'bad-name'"],
    [['--set', 'ingress.host=Not A Host'], '/ingress/host'],
    [['--set', 'kubo.mirror.interval=often'], '/kubo/mirror/interval'],
  ])('rejects %j', async (args, message) => {
    const error = await renderError(...args)
    expect(error).toContain("values don't meet the specifications of the schema")
    expect(error).toContain(message)
  })

  it('accepts numbers and booleans as plain env values and renders them as text', async () => {
    const objects = await renderChart(undefined, [
      '--set',
      'worker.env.PIN_FETCH_TIMEOUT_MS=1800000',
      '--set',
      'worker.env.SOME_FLAG=true',
    ])
    const worker = objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'rel-pinion-worker',
    )
    const env = (
      worker?.spec as {
        template: { spec: { containers: { env: { name: string; value?: string }[] }[] } }
      }
    ).template.spec.containers[0]!.env
    expect(env).toContainEqual({ name: 'PIN_FETCH_TIMEOUT_MS', value: '1800000' })
    expect(env).toContainEqual({ name: 'SOME_FLAG', value: 'true' })
  })
})

describe('settings the schema cannot express', () => {
  it.each([
    [['--set', 'postgresql.enabled=false'], 'set externalDatabase.existingSecret'],
    [['--set', 'nats.enabled=false'], 'set externalNats.url or externalNats.existingSecret'],
    [['--set', 'kubo.enabled=false'], 'set externalKubo.url or externalKubo.existingSecret'],
    [['--set', 'kubo.primary=1'], 'kubo.primary must be the ordinal of an existing replica'],
    [['--set', 'secrets.auth='], 'set secrets.auth'],
    [
      ['--set', 'worker.secretEnv.TOKEN=nothere/key'],
      'TOKEN refers to "nothere", which is not a key of secrets',
    ],
    [
      ['--set', 'common.readinessDrainSeconds=40'],
      'terminationGracePeriodSeconds (30) must exceed common.readinessDrainSeconds + 5',
    ],
    [
      ['--set', 'worker.terminationGracePeriodSeconds=10'],
      'worker: terminationGracePeriodSeconds (10) must exceed common.readinessDrainSeconds + 5',
    ],
  ])('fail the render with a message for %j', async (args, message) => {
    expect(await renderError(...args)).toContain(message)
  })
})
