/**
 * The Pinning API `PinStatus` of a pin row: exactly the schema's keys, optional ones only when
 * they have content, `meta`/`info` as string → string maps (the Go client cannot decode anything
 * else).
 */
import type { PinStatusValue } from './schemas.js'

/** The columns a PinStatus is made of (a `pins` row, or the subset list queries select). */
export interface PinRow {
  readonly id: string
  readonly cid: string
  readonly name: string | null
  readonly meta: unknown
  readonly status: PinStatusValue
  readonly info: unknown
  readonly created: Date
  readonly origins: readonly string[]
}

/** The Pinning API `PinStatus` object, as returned to clients. */
export interface PinStatus {
  requestid: string
  status: PinStatusValue
  /** RFC 3339, UTC, millisecond precision. */
  created: string
  pin: {
    cid: string
    name?: string
    origins?: string[]
    meta?: Record<string, string>
  }
  delegates: string[]
  info?: Record<string, string>
}

export function toPinStatus(row: PinRow, delegates: readonly string[]): PinStatus {
  const meta = stringMap(row.meta)
  const info = stringMap(row.info)
  return {
    requestid: row.id,
    status: row.status,
    created: row.created.toISOString(),
    pin: {
      cid: row.cid,
      ...(row.name === null ? {} : { name: row.name }),
      ...(row.origins.length === 0 ? {} : { origins: row.origins.slice(0, 20) }),
      ...(meta === undefined ? {} : { meta }),
    },
    delegates: [...delegates],
    ...(info === undefined ? {} : { info }),
  }
}

/** The string entries of a JSON object; `undefined` when there are none. */
function stringMap(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const entries = Object.entries(value).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  )
  return entries.length === 0 ? undefined : Object.fromEntries(entries)
}
