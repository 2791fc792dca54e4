import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  envMap,
  find,
  podSpec,
  release,
  renderChart,
  serviceNames,
  services,
  valuesFiles,
  valuesPath,
  type Container,
  type PodSpec,
  type ServiceName,
  type ValuesFile,
} from '../src/chart.js'
import { schemaVariables } from '../src/env-example.js'
import { helm } from '../src/helm.js'
import { ofKind, validateObject, type K8sObject } from '../src/manifests.js'
import { chartDir, repoRoot } from '../src/paths.js'

const rendered = new Map<ValuesFile, K8sObject[]>()
const objects = (file: ValuesFile) => rendered.get(file) ?? []
const name = (component: string) => `${release.prefix}-${component}`

/** The Secrets each CI values file names: the only Secrets any pod may reference. */
const namedSecrets: Record<ValuesFile, string[]> = {
  default: ['pinion-auth', 'pinion-session', 'pinion-postgresql'],
  external: [
    'pinion-auth',
    'pinion-session',
    'pinion-github-app',
    'pinion-oidc',
    'pinion-prover',
    'pinion-database',
    'pinion-nats',
  ],
  'kubo-replicas': ['pinion-auth', 'pinion-session', 'pinion-postgresql'],
}

beforeAll(async () => {
  for (const file of valuesFiles) rendered.set(file, await renderChart(file))
})

function workloads(file: ValuesFile): K8sObject[] {
  return objects(file).filter((object) =>
    ['Deployment', 'StatefulSet', 'Job'].includes(object.kind),
  )
}

function mainContainer(object: K8sObject): Container {
  const container = podSpec(object).containers[0]
  if (!container) throw new Error(`${object.metadata.name} has no container`)
  return container
}

describe('helm lint --strict', () => {
  it.each(valuesFiles)('passes with %s values', async (file) => {
    const result = await helm(['lint', '--strict', chartDir, '--values', valuesPath(file)])
    expect(result.stderr + result.stdout).toContain('0 chart(s) failed')
    expect(result.code).toBe(0)
  })
})

describe('rendered objects', () => {
  it.each(valuesFiles)('all validate against the Kubernetes API schemas (%s)', (file) => {
    expect(objects(file).length).toBeGreaterThan(20)
    const problems: string[] = []
    for (const object of objects(file)) {
      try {
        validateObject(object)
      } catch (error) {
        problems.push(`${object.kind}/${object.metadata.name}: ${(error as Error).message}`)
      }
    }
    expect(problems).toEqual([])
  })

  it('the validation catches a wrong type (so the check above can fail)', () => {
    const deployment = structuredClone(find(objects('default'), 'Deployment', name('gateway')))
    ;(deployment.spec as { replicas: unknown }).replicas = 'one'
    expect(() => validateObject(deployment)).toThrow(/replicas/)
  })

  it('render every service as its own Deployment, the worker included', () => {
    for (const file of valuesFiles) {
      const deployments = ofKind(objects(file), 'Deployment').map((d) => d.metadata.name)
      expect(deployments.sort()).toEqual(serviceNames.map(name).sort())
    }
  })
})

describe('every workload', () => {
  it.each(valuesFiles)(
    'runs non-root, read-only, without capabilities or API token (%s)',
    (file) => {
      for (const object of workloads(file)) {
        const spec: PodSpec = podSpec(object)
        const where = `${object.kind}/${object.metadata.name}`
        expect(spec.securityContext?.runAsNonRoot, where).toBe(true)
        expect(spec.securityContext?.seccompProfile?.type, where).toBe('RuntimeDefault')
        expect(spec.automountServiceAccountToken, where).toBe(false)
        for (const container of spec.containers) {
          const context = container.securityContext ?? {}
          expect(context.readOnlyRootFilesystem, `${where} ${container.name}`).toBe(true)
          expect(context.allowPrivilegeEscalation, `${where} ${container.name}`).toBe(false)
          expect(context.capabilities?.drop, `${where} ${container.name}`).toEqual(['ALL'])
          expect(container.resources?.requests?.cpu, `${where} ${container.name}`).toBeTruthy()
          expect(container.resources?.requests?.memory, `${where} ${container.name}`).toBeTruthy()
          expect(container.resources?.limits?.memory, `${where} ${container.name}`).toBeTruthy()
          expect(container.resources?.limits?.cpu, `${where} ${container.name}`).toBeTruthy()
        }
      }
    },
  )
})

describe('service Deployments', () => {
  it.each(valuesFiles)('probe /healthz (liveness) and /readyz (readiness) (%s)', (file) => {
    for (const deployment of ofKind(objects(file), 'Deployment')) {
      const container = mainContainer(deployment)
      expect(container.livenessProbe?.httpGet, deployment.metadata.name).toEqual({
        path: '/healthz',
        port: 'http',
      })
      expect(container.readinessProbe?.httpGet, deployment.metadata.name).toEqual({
        path: '/readyz',
        port: 'http',
      })
      expect(container.ports).toContainEqual({ name: 'http', containerPort: 8080, protocol: 'TCP' })
    }
  })

  it.each(valuesFiles)(
    'each have a PodDisruptionBudget and a Service selecting their pods (%s)',
    (file) => {
      for (const service of serviceNames) {
        const deployment = find(objects(file), 'Deployment', name(service))
        const labels = (
          deployment.spec as { template: { metadata: { labels: Record<string, string> } } }
        ).template.metadata.labels
        for (const kind of ['PodDisruptionBudget', 'Service']) {
          const object = find(objects(file), kind, name(service))
          const spec = object.spec as {
            selector: Record<string, string> & { matchLabels?: Record<string, string> }
          }
          const selector = spec.selector.matchLabels ?? spec.selector
          for (const [key, value] of Object.entries(selector))
            expect(labels[key], `${kind} ${service}`).toBe(value)
        }
      }
    },
  )

  it('stop within their grace period (SHUTDOWN_TIMEOUT_MS below it, readiness drain first)', () => {
    for (const deployment of ofKind(objects('default'), 'Deployment')) {
      const env = envMap(mainContainer(deployment))
      const graceMs = (podSpec(deployment).terminationGracePeriodSeconds ?? 30) * 1000
      const timeout = Number(env.get('SHUTDOWN_TIMEOUT_MS'))
      expect(timeout).toBeLessThan(graceMs)
      expect(Number(env.get('SHUTDOWN_READINESS_DELAY_MS'))).toBeLessThan(timeout)
    }
  })

  it('scale by replicas, or by a HorizontalPodAutoscaler when enabled (no fixed replicas then)', () => {
    expect(ofKind(objects('default'), 'HorizontalPodAutoscaler')).toEqual([])
    const external = objects('external')
    for (const service of ['gateway', 'worker']) {
      const hpa = find(external, 'HorizontalPodAutoscaler', name(service))
      expect((hpa.spec as { scaleTargetRef: unknown }).scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: name(service),
      })
      expect(
        (find(external, 'Deployment', name(service)).spec as { replicas?: number }).replicas,
      ).toBeUndefined()
    }
    expect(
      (find(external, 'Deployment', name('upload')).spec as { replicas?: number }).replicas,
    ).toBe(2)
  })
})

describe('the Ingress', () => {
  it.each(valuesFiles)('routes every public prefix to its service (%s)', (file) => {
    const [ingress] = ofKind(objects(file), 'Ingress')
    const rules = (
      ingress?.spec as {
        rules: {
          http: {
            paths: { path: string; pathType: string; backend: { service: { name: string } } }[]
          }
        }[]
      }
    ).rules
    const routes = Object.fromEntries(
      rules[0]!.http.paths.map((path) => [path.path, path.backend.service.name]),
    )
    const expected = Object.fromEntries(
      serviceNames.flatMap((service) => {
        const path = services[service].path
        return path ? [[path, name(service)]] : []
      }),
    )
    expect(routes).toEqual(expected)
    expect(rules[0]!.http.paths.at(-1)?.path).toBe('/')
    for (const path of rules[0]!.http.paths) expect(path.pathType).toBe('Prefix')
  })

  it.each(valuesFiles)(
    'never reaches /metrics: every service serves them on a port of their own (%s)',
    (file) => {
      const [ingress] = ofKind(objects(file), 'Ingress')
      const backends = (
        ingress?.spec as {
          rules: { http: { paths: { backend: { service: { port: { name: string } } } }[] } }[]
        }
      ).rules[0]!.http.paths.map((path) => path.backend.service.port)
      expect(backends.length).toBeGreaterThan(0)
      for (const port of backends) expect(port).toEqual({ name: 'http' })
      for (const service of serviceNames) {
        const deployment = find(objects(file), 'Deployment', name(service))
        const container = mainContainer(deployment)
        expect(envMap(container).get('METRICS_PORT'), service).toBe('9090')
        expect(container.ports, service).toContainEqual({
          name: 'metrics',
          containerPort: 9090,
          protocol: 'TCP',
        })
        const annotations = (
          deployment.spec as { template: { metadata: { annotations: Record<string, string> } } }
        ).template.metadata.annotations
        expect(annotations, service).toMatchObject({
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': '9090',
          'prometheus.io/path': '/metrics',
        })
        const ports = (
          find(objects(file), 'Service', name(service)).spec as {
            ports: { name: string; port: number; targetPort: string }[]
          }
        ).ports
        expect(ports, service).toContainEqual({
          name: 'metrics',
          port: 9090,
          targetPort: 'metrics',
          protocol: 'TCP',
        })
      }
    },
  )

  it('sends the paths browsers and GitHub use to the service that serves them', () => {
    const [ingress] = ofKind(objects('default'), 'Ingress')
    const paths = (
      ingress?.spec as {
        rules: { http: { paths: { path: string; backend: { service: { name: string } } }[] } }[]
      }
    ).rules[0]!.http.paths
    // Kubernetes' Prefix match: whole path elements, the longest matching prefix wins.
    const routeOf = (url: string) => {
      const matches = paths.filter(
        (p) => p.path === '/' || url === p.path || url.startsWith(`${p.path}/`),
      )
      return matches.sort((a, b) => b.path.length - a.path.length)[0]?.backend.service.name
    }
    expect(routeOf('/api/account/signin')).toBe(name('dashboard'))
    expect(routeOf('/api/account/auth/github/callback')).toBe(name('dashboard'))
    expect(routeOf('/github/webhooks')).toBe(name('github-bot'))
    expect(routeOf('/pinning/api/v1/pins')).toBe(name('pinning-api'))
    expect(routeOf('/upload/web/files')).toBe(name('upload'))
    expect(routeOf('/prover/web/v1/keys')).toBe(name('prover'))
    expect(routeOf('/gateway/ipfs/bafkqaaa')).toBe(name('gateway'))
    // Not a prefix of a path element: /uploads is the dashboard's, not the upload service's.
    expect(routeOf('/uploads')).toBe(name('dashboard'))
  })

  it('serves TLS for its host when asked', () => {
    const [ingress] = ofKind(objects('external'), 'Ingress')
    expect((ingress?.spec as { tls: unknown }).tls).toEqual([
      { hosts: ['pins.example.com'], secretName: 'pins-example-com-tls' },
    ])
    const env = envMap(mainContainer(find(objects('external'), 'Deployment', name('gateway'))))
    expect(env.get('PUBLIC_URL')).toBe('https://pins.example.com')
    expect(env.get('TRUST_PROXY_HOPS')).toBe('1')
  })
})

describe('secrets', () => {
  it.each(valuesFiles)('come only from the existing Secrets the values name (%s)', (file) => {
    expect(ofKind(objects(file), 'Secret')).toEqual([])
    const referenced = new Set<string>()
    for (const object of workloads(file)) {
      const spec = podSpec(object)
      for (const container of spec.containers)
        for (const entry of container.env ?? [])
          if (entry.valueFrom?.secretKeyRef) referenced.add(entry.valueFrom.secretKeyRef.name)
      for (const volume of spec.volumes ?? []) {
        if (volume.secret) referenced.add(volume.secret.secretName)
        for (const source of volume.projected?.sources ?? [])
          if (source.secret) referenced.add(source.secret.name)
      }
    }
    expect([...referenced].sort()).toEqual([...namedSecrets[file]].sort())
  })

  it('put the signing key in the dashboard only, and the public keys where tokens are verified', () => {
    for (const service of serviceNames) {
      const deployment = find(objects('default'), 'Deployment', name(service))
      const files = (podSpec(deployment).volumes ?? [])
        .flatMap((volume) => volume.projected?.sources ?? [])
        .flatMap((source) => source.secret?.items?.map((item) => item.key) ?? [])
      const env = envMap(mainContainer(deployment))
      expect(files.includes('signing-key.pem'), service).toBe(service === 'dashboard')
      expect(env.has('AUTH_SIGNING_KEY_FILE'), service).toBe(service === 'dashboard')
      expect(env.get('AUTH_PUBLIC_KEYS_FILE'), service).toBe(
        service === 'worker' ? undefined : '/var/run/secrets/pinion/auth/public-keys.json',
      )
    }
  })

  it('leave a feature out while its Secret is not named, and wire it once it is', () => {
    const bot = (file: ValuesFile) =>
      envMap(mainContainer(find(objects(file), 'Deployment', name('github-bot'))))
    expect(bot('default').has('GITHUB_PRIVATE_KEY_FILE')).toBe(false)
    expect(bot('external').get('GITHUB_PRIVATE_KEY_FILE')).toBe(
      '/var/run/secrets/pinion/githubApp/private-key.pem',
    )
    expect(bot('external').get('GITHUB_APP_ID')).toBe('secret:pinion-github-app/app-id')
    expect(bot('external').get('GITHUB_WEBHOOK_SECRET_FILE')).toBe(
      '/var/run/secrets/pinion/githubApp/webhook-secret',
    )
    // Commit statuses link to the gateway under the public URL.
    expect(bot('external').get('PUBLIC_URL')).toBe('https://pins.example.com')
  })

  it('mount the same SESSION_SECRET in every service that reads the session cookie', () => {
    for (const file of valuesFiles) {
      for (const service of serviceNames) {
        const deployment = find(objects(file), 'Deployment', name(service))
        const env = envMap(mainContainer(deployment))
        const sessionItems = (podSpec(deployment).volumes ?? [])
          .flatMap((volume) => volume.projected?.sources ?? [])
          .filter((source) => source.secret?.name === 'pinion-session')
          .flatMap((source) => source.secret?.items ?? [])
        if (services[service].session) {
          expect(env.get('SESSION_SECRET_FILE'), service).toBe(
            '/var/run/secrets/pinion/session/secret',
          )
          expect(sessionItems, service).toEqual([{ key: 'secret', path: 'session/secret' }])
        } else {
          expect(env.has('SESSION_SECRET_FILE'), service).toBe(false)
          expect(sessionItems, service).toEqual([])
        }
        expect(env.has('SESSION_SECRET'), service).toBe(false)
      }
    }
  })

  it('never put a credential in a plain env value', () => {
    const credential = /SECRET|PASSWORD|PRIVATE_KEY|SIGNING_KEY|OIDC_PROVIDERS|TOKEN/
    let checked = 0
    for (const file of valuesFiles) {
      for (const object of workloads(file)) {
        for (const container of podSpec(object).containers) {
          for (const entry of container.env ?? []) {
            if (!credential.test(entry.name) || entry.name.endsWith('_FILE')) continue
            checked++
            expect(entry.value, `${object.metadata.name} ${entry.name}`).toBeUndefined()
            expect(
              entry.valueFrom?.secretKeyRef,
              `${object.metadata.name} ${entry.name}`,
            ).toBeTruthy()
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(0)
  })

  it("wire the dashboard's GitHub and OpenID Connect sign-in from Secrets once they are named", () => {
    const dashboard = (file: ValuesFile) =>
      envMap(mainContainer(find(objects(file), 'Deployment', name('dashboard'))))
    expect(dashboard('default').has('GITHUB_CLIENT_SECRET')).toBe(false)
    expect(dashboard('default').has('OIDC_PROVIDERS')).toBe(false)
    expect(dashboard('external').get('GITHUB_CLIENT_ID')).toBe('secret:pinion-github-app/client-id')
    expect(dashboard('external').get('GITHUB_CLIENT_SECRET')).toBe(
      'secret:pinion-github-app/client-secret',
    )
    expect(dashboard('external').get('OIDC_PROVIDERS')).toBe('secret:pinion-oidc/providers')
  })

  it('reach the database URL through $(VAR) references defined before their use', () => {
    for (const file of valuesFiles) {
      for (const object of workloads(file)) {
        for (const container of podSpec(object).containers) {
          const seen = new Set<string>()
          for (const entry of container.env ?? []) {
            for (const match of (entry.value ?? '').matchAll(/\$\(([A-Z_][A-Z0-9_]*)\)/g))
              expect(seen.has(match[1]!), `${object.metadata.name} ${entry.name}`).toBe(true)
            seen.add(entry.name)
          }
        }
      }
    }
    const env = envMap(mainContainer(find(objects('default'), 'Deployment', name('worker'))))
    expect(env.get('PINION_DATABASE_PASSWORD')).toBe('secret:pinion-postgresql/password')
    expect(env.get('DATABASE_URL')).toBe(
      `postgresql://pinion:$(PINION_DATABASE_PASSWORD)@${name('postgresql')}:5432/pinion`,
    )
    const external = envMap(mainContainer(find(objects('external'), 'Deployment', name('worker'))))
    expect(external.get('DATABASE_URL')).toBe('secret:pinion-database/url')
    expect(external.get('NATS_URL')).toBe('secret:pinion-nats/url')
  })
})

describe('the migration Job', () => {
  it('is a pre-upgrade hook, and pre-install unless the database is part of the release', () => {
    const hook = (file: ValuesFile) =>
      find(objects(file), 'Job', name('migration')).metadata.annotations?.['helm.sh/hook']
    expect(hook('external')).toBe('pre-install,pre-upgrade')
    // A bundled PostgreSQL does not exist before install: the Job runs right after it.
    expect(hook('default')).toBe('post-install,pre-upgrade')
    const job = find(objects('external'), 'Job', name('migration'))
    const container = mainContainer(job)
    expect(container.image).toBe('ghcr.io/pinion/pinion-cli:0.1.0')
    expect(container.args).toEqual(['migrate'])
    expect(envMap(container).get('DATABASE_URL')).toBe('secret:pinion-database/url')
  })
})

describe('infrastructure', () => {
  it('wires every service to Postgres and NATS, and the blockstore users to Kubo', () => {
    for (const file of valuesFiles) {
      for (const service of serviceNames) {
        const env = envMap(mainContainer(find(objects(file), 'Deployment', name(service))))
        expect(env.get('PORT'), service).toBe('8080')
        expect(env.get('DATABASE_URL'), service).toBeTruthy()
        expect(env.get('NATS_URL'), service).toBeTruthy()
        if (services[service].kuboRpc) {
          expect(env.get('BLOCKSTORE'), service).toBe('kubo')
          expect(env.get('KUBO_RPC_URL'), service).toBe(
            file === 'external'
              ? 'http://kubo.storage.svc.cluster.local:5001'
              : `http://${name('kubo-rpc')}:5001`,
          )
        } else {
          expect(env.has('KUBO_RPC_URL'), service).toBe(false)
        }
        expect(env.get('KUBO_IMPORT_SPOOL_PATH'), service).toBe(
          services[service].blockstore ? '/var/spool/pinion' : undefined,
        )
      }
    }
  })

  it('tell clients the public Kubo addresses (PIN_DELEGATES) from pinDelegates', () => {
    const delegates = (file: ValuesFile, service: ServiceName) =>
      envMap(mainContainer(find(objects(file), 'Deployment', name(service)))).get('PIN_DELEGATES')
    const peer = '12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp'
    for (const service of ['pinning-api', 'upload', 'github-bot'] as const) {
      expect(delegates('external', service)).toBe(
        `/dns4/ipfs.pins.example.com/tcp/4001/p2p/${peer},` +
          `/dns4/ipfs.pins.example.com/udp/4001/quic-v1/p2p/${peer}`,
      )
      // Unset: the service asks Kubo for its addresses.
      expect(delegates('default', service)).toBeUndefined()
    }
    expect(delegates('external', 'worker')).toBeUndefined()
  })

  it('renders no Kubo, NATS or PostgreSQL when they are external', () => {
    expect(ofKind(objects('external'), 'StatefulSet')).toEqual([])
    expect(
      ofKind(objects('default'), 'StatefulSet')
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual([name('kubo'), name('nats'), name('postgresql')])
  })

  it('keeps Kubo, NATS and PostgreSQL data on persistent volumes', () => {
    for (const statefulSet of ofKind(objects('default'), 'StatefulSet')) {
      const claims = (
        statefulSet.spec as { volumeClaimTemplates?: { metadata: { name: string } }[] }
      ).volumeClaimTemplates
      expect(
        claims?.map((claim) => claim.metadata.name),
        statefulSet.metadata.name,
      ).toEqual(['data'])
    }
  })

  it('points the services at one Kubo replica, and mirrors it onto the others', () => {
    const rpc = (file: ValuesFile) =>
      (
        find(objects(file), 'Service', name('kubo-rpc')).spec as {
          selector: Record<string, string>
        }
      ).selector['statefulset.kubernetes.io/pod-name']
    expect(rpc('default')).toBe(`${name('kubo')}-0`)
    expect(rpc('kubo-replicas')).toBe(`${name('kubo')}-1`)

    const single = podSpec(find(objects('default'), 'StatefulSet', name('kubo')))
    expect(single.containers.map((c) => c.name)).toEqual(['kubo'])
    const replicated = find(objects('kubo-replicas'), 'StatefulSet', name('kubo'))
    expect((replicated.spec as { replicas: number }).replicas).toBe(3)
    const mirror = podSpec(replicated).containers.find((c) => c.name === 'mirror')
    expect(mirror?.image).toBe('ghcr.io/pinion/pinion-cli:0.1.0')
    expect(mirror?.args).toEqual([
      'kubo',
      'mirror',
      '--from',
      `http://${name('kubo')}-1.${name('kubo')}-headless.${release.namespace}.svc:5001`,
      '--to',
      'http://127.0.0.1:5001',
      '--every',
      '30s',
      '--no-prune',
    ])
  })

  it('clusters NATS with routes to every server and three stream replicas', () => {
    const config = find(objects('kubo-replicas'), 'ConfigMap', name('nats')).data as Record<
      string,
      string
    >
    for (const ordinal of [0, 1, 2])
      expect(config['nats.conf']).toContain(
        `nats://${name('nats')}-${ordinal}.${name('nats')}-headless.${release.namespace}.svc:6222`,
      )
    const env = envMap(mainContainer(find(objects('kubo-replicas'), 'Deployment', name('worker'))))
    expect(env.get('NATS_STREAM_REPLICAS')).toBe('3')
    expect(
      envMap(mainContainer(find(objects('default'), 'Deployment', name('worker')))).get(
        'NATS_STREAM_REPLICAS',
      ),
    ).toBe('1')
  })

  it('admits only this release to Kubo RPC, NATS and PostgreSQL', () => {
    const releaseSelector = {
      'app.kubernetes.io/name': 'pinion',
      'app.kubernetes.io/instance': release.name,
    }
    for (const component of ['kubo', 'nats', 'postgresql']) {
      const policy = find(objects('default'), 'NetworkPolicy', name(component))
      const rules = (
        policy.spec as {
          ingress: {
            from?: { podSelector?: { matchLabels: unknown } }[]
            ports: { port: string }[]
          }[]
        }
      ).ingress
      const internal = rules.filter((rule) => rule.from !== undefined)
      expect(internal.length, component).toBeGreaterThan(0)
      const open = rules
        .filter((rule) => rule.from === undefined)
        .flatMap((rule) => rule.ports.map((p) => p.port))
      // Only Kubo's swarm is open to everyone (peers fetch pinned content).
      expect(open, component).toEqual(component === 'kubo' ? ['swarm', 'swarm-quic'] : [])
      expect(internal[0]?.from?.[0]?.podSelector?.matchLabels).toEqual(releaseSelector)
    }
  })
})

describe('images', () => {
  it('are the ones deploy/docker/docker-bake.json builds', async () => {
    const bake = JSON.parse(
      await readFile(join(repoRoot, 'deploy/docker/docker-bake.json'), 'utf8'),
    ) as {
      target: Record<string, { tags: string[] }>
    }
    const built = new Set(
      Object.values(bake.target).flatMap((target) =>
        target.tags.map((tag) =>
          tag.replace('${REGISTRY}', 'ghcr.io/pinion').replace('${TAG}', '0.1.0'),
        ),
      ),
    )
    const pinionImages = new Set<string>()
    for (const file of valuesFiles)
      for (const object of workloads(file))
        for (const container of podSpec(object).containers)
          if (container.image.startsWith('ghcr.io/pinion/')) pinionImages.add(container.image)
    expect(pinionImages.size).toBe(8)
    for (const image of pinionImages) expect(built.has(image), image).toBe(true)
  })
})

describe('service environment', () => {
  // A name the chart sets but no service reads is a silent misconfiguration (the dashboard once
  // got GITHUB_OAUTH_CLIENT_ID while it reads GITHUB_CLIENT_ID): every variable of a service's
  // container must be one its config schema reads (`_FILE` forms are in the schemas) or a
  // runtime setting.
  const runtime = new Set([
    'NODE_ENV',
    'NODE_OPTIONS',
    'MALLOC_ARENA_MAX',
    'MALLOC_MMAP_THRESHOLD_',
  ])
  const schemaModules: Record<ServiceName, () => Promise<{ ConfigSchema: z.ZodType }>> = {
    'pinning-api': () => import('@pinion/pinning-api'),
    upload: () => import('@pinion/upload'),
    gateway: () => import('@pinion/gateway'),
    'github-bot': () => import('@pinion/github-bot'),
    prover: () => import('@pinion/prover'),
    worker: () => import('@pinion/worker'),
    dashboard: () => import('@pinion/dashboard'),
  }

  it.each(serviceNames)(
    '%s gets only variables its config reads',
    async (service) => {
      const read = new Set(schemaVariables((await schemaModules[service]()).ConfigSchema))
      const unknown: string[] = []
      for (const file of valuesFiles) {
        const deployment = find(objects(file), 'Deployment', name(service))
        // $(VAR) references compose other values (DATABASE_URL from its parts): those parts are
        // the chart's own and never read by the service.
        const env = mainContainer(deployment).env ?? []
        const composedFrom = new Set(
          env.flatMap((entry) =>
            [...(entry.value ?? '').matchAll(/\$\(([A-Z0-9_]+)\)/g)].map((m) => m[1]),
          ),
        )
        for (const { name: variable } of env) {
          if (read.has(variable) || runtime.has(variable) || composedFrom.has(variable)) continue
          unknown.push(`${file}: ${variable}`)
        }
      }
      expect(unknown).toEqual([])
    },
    120_000,
  )
})
