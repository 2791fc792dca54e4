import { GatewayRequestError } from './errors.js'
import type { CarParamsRequest } from './formats.js'

/** How much of the DAG under the path's end a CAR carries (trustless gateway spec). */
export type DagScope = 'block' | 'entity' | 'all'

/** `entity-bytes=from:to` as given: offsets may be negative (from the end), `to` may be `*`. */
export interface EntityBytes {
  from: number
  to: number | '*'
}

/** Validated CAR request parameters. */
export interface CarParams {
  scope: DagScope
  entityBytes: EntityBytes | undefined
  /** Whether a block linked twice is sent twice (`dups=y`). */
  duplicates: boolean
}

const entityBytesPattern = /^(-?\d{1,16}):(-?\d{1,16}|\*)$/

function parseEntityBytes(value: string): EntityBytes {
  const match = entityBytesPattern.exec(value)
  if (match === null) throw new GatewayRequestError(`Invalid entity-bytes "${value.slice(0, 64)}"`)
  const from = Number(match[1])
  const to = match[2] === '*' ? '*' : Number(match[2])
  // Both ends counted the same way and reversed: known to be empty before reading anything.
  if (to !== '*' && Math.sign(from) === Math.sign(to) && to < from)
    throw new GatewayRequestError(`entity-bytes "${value}" ends before it starts`)
  return { from, to }
}

/**
 * Validates the CAR parameters: `dag-scope` (default `all`), `entity-bytes` (only with the entity
 * scope, which it implies), `version` 1 only, `order` `dfs`/`unk` (always answered as `dfs`) and
 * `dups` `y`/`n` (default `n`).
 *
 * @throws GatewayRequestError (400) for any other value.
 */
export function parseCarParams(
  query: { 'dag-scope'?: string | undefined; 'entity-bytes'?: string | undefined },
  requested: CarParamsRequest,
): CarParams {
  if (requested.version !== undefined && requested.version !== '1')
    throw new GatewayRequestError(`Unsupported CAR version "${requested.version}": only 1`)
  if (requested.order !== undefined && requested.order !== 'dfs' && requested.order !== 'unk')
    throw new GatewayRequestError(`Unsupported CAR order "${requested.order}"`)
  if (requested.dups !== undefined && requested.dups !== 'y' && requested.dups !== 'n')
    throw new GatewayRequestError(`Unsupported CAR dups "${requested.dups}"`)
  const scopeParam = query['dag-scope']
  if (scopeParam !== undefined && !['block', 'entity', 'all'].includes(scopeParam))
    throw new GatewayRequestError(`Unsupported dag-scope "${scopeParam.slice(0, 32)}"`)
  const entityBytes =
    query['entity-bytes'] === undefined ? undefined : parseEntityBytes(query['entity-bytes'])
  if (entityBytes !== undefined && scopeParam !== undefined && scopeParam !== 'entity')
    throw new GatewayRequestError('entity-bytes needs dag-scope=entity')
  const scope: DagScope = entityBytes !== undefined ? 'entity' : ((scopeParam as DagScope) ?? 'all')
  return { scope, entityBytes, duplicates: requested.dups === 'y' }
}

/**
 * The inclusive-start, exclusive-end byte range `entity-bytes` selects in a file of `size` bytes,
 * or undefined when it selects nothing (the CAR then carries the file's root block only).
 */
export function entityRange(
  entityBytes: EntityBytes | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (entityBytes === undefined) return { start: 0, end: size }
  const start = entityBytes.from < 0 ? Math.max(0, size + entityBytes.from) : entityBytes.from
  const last =
    entityBytes.to === '*'
      ? size - 1
      : entityBytes.to < 0
        ? size + entityBytes.to
        : Math.min(entityBytes.to, size - 1)
  if (start >= size || last < start) return undefined
  return { start, end: last + 1 }
}
