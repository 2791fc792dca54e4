/**
 * Rendered Kubernetes objects: parsed from `helm template` output and validated against the API
 * schemas of kubernetes-models (Kubernetes 1.27). The models check types, enums and required
 * fields, not unknown fields: a server-side dry run is not possible without an API server.
 */
import * as apps from 'kubernetes-models/apps/v1'
import * as autoscaling from 'kubernetes-models/autoscaling/v2'
import * as batch from 'kubernetes-models/batch/v1'
import * as networking from 'kubernetes-models/networking.k8s.io/v1'
import * as policy from 'kubernetes-models/policy/v1'
import * as core from 'kubernetes-models/v1'
import { parseAllDocuments } from 'yaml'

/** A rendered object, as plain data. */
export interface K8sObject {
  apiVersion: string
  kind: string
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }
  spec?: Record<string, unknown>
  [field: string]: unknown
}

/** Every non-empty YAML document of `text`. @throws on a YAML syntax error. */
export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw document.errors[0]
      return document.toJS() as K8sObject | null
    })
    .filter((object): object is K8sObject => object !== null)
}

type Model = new (data: unknown) => { validate(): void }

/** The API groups the chart renders; a new one must be added here to be validated. */
const modelsByApiVersion: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'batch/v1': batch,
  'networking.k8s.io/v1': networking,
  'policy/v1': policy,
}

/**
 * Validates one object with the kubernetes-models class of its apiVersion and kind.
 * @throws when the object breaks the schema, or no model exists for its kind.
 */
export function validateObject(object: K8sObject): void {
  const ModelClass = modelsByApiVersion[object.apiVersion]?.[object.kind] as Model | undefined
  if (ModelClass === undefined) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`)
  new ModelClass(object).validate()
}

/** The objects of one kind. */
export function ofKind(objects: readonly K8sObject[], kind: string): K8sObject[] {
  return objects.filter((object) => object.kind === kind)
}
