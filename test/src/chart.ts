/**
 * What the chart tests render and look at: `helm template` of a values file, and accessors for the
 * parts of a pod spec the assertions read.
 */
import { join } from 'node:path'
import { helm } from './helm.js'
import { parseManifests, type K8sObject } from './manifests.js'
import { chartDir } from './paths.js'

/** The release name and namespace every render uses, so object names are predictable. */
export const release = { name: 'rel', namespace: 'pinion', prefix: 'rel-pinion' } as const

/** The chart's CI values files (helm/pinion/ci/<name>-values.yaml). */
export const valuesFiles = ['default', 'external', 'kubo-replicas'] as const
export type ValuesFile = (typeof valuesFiles)[number]

export const valuesPath = (name: ValuesFile) => join(chartDir, 'ci', `${name}-values.yaml`)

/**
 * The seven services: each is a Deployment; the Ingress routes `path` to it (worker: none).
 * `kuboRpc`: told Kubo's RPC URL; `session`: reads the dashboard's session cookie.
 */
export const services = {
  'pinning-api': { path: '/pinning', blockstore: false, kuboRpc: true, session: false },
  upload: { path: '/upload', blockstore: true, kuboRpc: true, session: true },
  gateway: { path: '/gateway', blockstore: true, kuboRpc: true, session: true },
  'github-bot': { path: '/github', blockstore: true, kuboRpc: true, session: false },
  prover: { path: '/prover', blockstore: true, kuboRpc: true, session: true },
  worker: { path: undefined, blockstore: true, kuboRpc: true, session: false },
  dashboard: { path: '/', blockstore: false, kuboRpc: false, session: true },
} as const
export type ServiceName = keyof typeof services
export const serviceNames = Object.keys(services) as ServiceName[]

/**
 * `helm template` of the chart with a values file (or none) plus extra arguments.
 * @throws with Helm's message when rendering fails.
 */
export async function renderChart(
  file: ValuesFile | undefined,
  extra: readonly string[] = [],
): Promise<K8sObject[]> {
  const result = await helm([
    'template',
    release.name,
    chartDir,
    '--namespace',
    release.namespace,
    '--kube-version',
    '1.30.0',
    ...(file ? ['--values', valuesPath(file)] : []),
    ...extra,
  ])
  if (result.code !== 0) throw new Error(`helm template failed: ${result.stderr}`)
  return parseManifests(result.stdout)
}

/** A container of a pod spec, with the fields the assertions read. */
export interface Container {
  name: string
  image: string
  args?: string[]
  env?: {
    name: string
    value?: string
    valueFrom?: { secretKeyRef?: { name: string; key: string } }
  }[]
  ports?: { name?: string; containerPort: number }[]
  livenessProbe?: { httpGet?: { path: string; port: string | number } }
  readinessProbe?: { httpGet?: { path: string; port: string | number } }
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> }
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] } }
  volumeMounts?: { name: string; mountPath: string }[]
}

/** A pod spec, with the fields the assertions read. */
export interface PodSpec {
  containers: Container[]
  securityContext?: Record<string, unknown> & { seccompProfile?: { type: string } }
  automountServiceAccountToken?: boolean
  terminationGracePeriodSeconds?: number
  volumes?: {
    name: string
    projected?: {
      sources: { secret?: { name: string; items?: { key: string; path: string }[] } }[]
    }
    secret?: { secretName: string }
  }[]
}

/** The pod spec of a Deployment, StatefulSet or Job. */
export function podSpec(object: K8sObject): PodSpec {
  const spec = object.spec as { template: { spec: PodSpec } }
  return spec.template.spec
}

/** The env of a container as a map (plain values only; secret ones map to `secret:<name>/<key>`). */
export function envMap(container: Container): Map<string, string> {
  return new Map(
    (container.env ?? []).map((entry) => [
      entry.name,
      entry.valueFrom?.secretKeyRef
        ? `secret:${entry.valueFrom.secretKeyRef.name}/${entry.valueFrom.secretKeyRef.key}`
        : (entry.value ?? ''),
    ]),
  )
}

/** The object of a kind and name, or a thrown error naming what is missing. */
export function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name)
  if (!found) throw new Error(`no ${kind} ${name} in the rendered chart`)
  return found
}
