/**
 * Validation of what clients send, shared by every service that takes pin requests: the Pinning
 * API body (`Pin`) and the `GET /pins` query. Strict where clients are strict, lenient where they
 * are sloppy (pinning-api.md §1.10): unknown fields are ignored, `origins` are cleaned rather than
 * refused, both array styles and both `meta` styles are read.
 */
import { BadRequestError } from '@pinion/service-kit'
import { z } from 'zod'
import { cidKeyOf } from './cid-key.js'
import { parseTimestamp, type TimestampBound } from './timestamps.js'

export const pinStatusValues = ['queued', 'pinning', 'pinned', 'failed'] as const
export type PinStatusValue = (typeof pinStatusValues)[number]
export const textMatchValues = ['exact', 'iexact', 'partial', 'ipartial'] as const
export type TextMatch = (typeof textMatchValues)[number]

export const maxNameLength = 255
export const maxMetaKeys = 1000
export const maxMetaKeyLength = 255
export const maxMetaValueLength = 4096
export const maxOrigins = 20
export const maxCidFilter = 10
export const maxListLimit = 1000

// Postgres text and jsonb cannot hold U+0000; refusing it here keeps it a 400, not a 500.
const text = z.string().refine((value) => !value.includes('\u0000'), 'must not contain U+0000')

/**
 * `PinMeta`/`StatusInfo`: string → string, at most 1000 keys. Checked entry by entry over the
 * object's own keys, so a `__proto__` key parsed from JSON is validated like any other.
 */
export const MetaSchema = z.unknown().transform((value, context): Record<string, string> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    context.addIssue({ code: 'custom', message: 'must be an object of strings' })
    return z.NEVER
  }
  const entries = Object.entries(value)
  if (entries.length > maxMetaKeys) {
    context.addIssue({ code: 'custom', message: `at most ${maxMetaKeys} keys` })
    return z.NEVER
  }
  for (const [key, entry] of entries) {
    const problem =
      key.length === 0 || key.length > maxMetaKeyLength
        ? `keys must have 1 to ${maxMetaKeyLength} characters`
        : typeof entry !== 'string'
          ? 'values must be strings'
          : entry.length > maxMetaValueLength
            ? `values must have at most ${maxMetaValueLength} characters`
            : key.includes('\u0000') || entry.includes('\u0000')
              ? 'must not contain U+0000'
              : undefined
    if (problem !== undefined) {
      context.addIssue({ code: 'custom', message: problem, path: [key] })
      return z.NEVER
    }
  }
  return Object.fromEntries(entries) as Record<string, string>
})

/**
 * `Pin.origins`, leniently: Kubo sends every address it has (loopback, LAN, quic-v1, more than
 * 20), so entries that are neither multiaddrs nor HTTP(S) URLs are dropped, duplicates removed
 * and the first 20 kept; only a non-list is an error.
 */
export const OriginsSchema = z.array(z.unknown()).transform((origins) => {
  const kept = origins.filter(
    (origin): origin is string =>
      typeof origin === 'string' &&
      origin.length <= 2048 &&
      !origin.includes('\u0000') &&
      (/^\/[A-Za-z0-9]/.test(origin) || /^https?:\/\/[^\s]+$/.test(origin)),
  )
  return [...new Set(kept)].slice(0, maxOrigins)
})

/** The Pinning API `Pin` object (POST /pins and POST /pins/{requestid}). */
export const PinRequestSchema = z.object({
  cid: z
    .string({ error: 'cid is required and must be a string' })
    .refine((cid) => cidKeyOf(cid) !== undefined, 'not a valid CID'),
  name: text.pipe(z.string().max(maxNameLength)).nullish(),
  origins: OriginsSchema.nullish(),
  meta: MetaSchema.nullish(),
})

/** A validated pin request, with the CID's reference key computed. */
export interface PinInput {
  readonly cid: string
  readonly cidKey: string
  readonly name: string | undefined
  readonly origins: string[]
  readonly meta: Record<string, string>
}

/**
 * Validates a request body as a `Pin`.
 *
 * @throws BadRequestError naming the first problems, e.g. `cid: not a valid CID`.
 */
export function parsePinRequest(body: unknown): PinInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError('the body must be a JSON object (a Pin)')
  }
  const parsed = PinRequestSchema.safeParse(body)
  if (!parsed.success) throw new BadRequestError(describeIssues(parsed.error))
  const { cid, name, origins, meta } = parsed.data
  return {
    cid,
    cidKey: cidKeyOf(cid) as string,
    name: name ?? undefined,
    origins: origins ?? [],
    meta: meta ?? {},
  }
}

/** The filters of `GET /pins`, validated. */
export interface PinListFilters {
  /** Reference keys of the CIDs asked for (any of them). */
  readonly cidKeys?: readonly string[]
  readonly name?: string
  readonly match: TextMatch
  /** Default: pinned only, as the spec says. */
  readonly statuses: readonly PinStatusValue[]
  /** Exclusive. */
  readonly before?: TimestampBound
  /** Exclusive. */
  readonly after?: TimestampBound
  readonly limit: number
  /** Pins whose meta contains every one of these pairs. */
  readonly meta?: Readonly<Record<string, string>>
}

/**
 * Reads the `GET /pins` query from the raw search parameters (so the result does not depend on
 * the framework's query parser). Arrays in comma form (`status=a,b`, the spec) or repeated
 * (`status=a&status=b`, other generators); `meta` as URL-escaped JSON (the spec) or as
 * `meta[key]=value` (what the generated JS client sends). Unknown parameters are ignored.
 *
 * @throws BadRequestError naming the parameter and what is wrong.
 */
export function parseListQuery(params: URLSearchParams): PinListFilters {
  const single = (name: string): string | undefined => {
    const values = params.getAll(name)
    if (values.length > 1) throw new BadRequestError(`${name} may be given once`)
    return values[0]
  }
  const list = (name: string): string[] | undefined => {
    const values = params.getAll(name)
    if (values.length === 0) return undefined
    return values.flatMap((value) => value.split(',')).map((value) => value.trim())
  }

  const cids = list('cid')
  let cidKeys: string[] | undefined
  if (cids !== undefined) {
    const unique = [...new Set(cids.filter((cid) => cid !== ''))]
    if (unique.length === 0 || unique.length > maxCidFilter) {
      throw new BadRequestError(`cid must list 1 to ${maxCidFilter} CIDs, comma separated`)
    }
    cidKeys = unique.map((cid) => {
      const key = cidKeyOf(cid)
      if (key === undefined) throw new BadRequestError(`cid: not a valid CID: ${truncate(cid)}`)
      return key
    })
    cidKeys = [...new Set(cidKeys)]
  }

  const name = single('name')
  if (name !== undefined && (name.length > maxNameLength || name.includes('\u0000'))) {
    throw new BadRequestError(`name must be at most ${maxNameLength} characters`)
  }
  const matchValue = single('match') ?? 'exact'
  if (!(textMatchValues as readonly string[]).includes(matchValue)) {
    throw new BadRequestError(`match must be one of ${textMatchValues.join(', ')}`)
  }

  const statusList = list('status')
  let statuses: PinStatusValue[] = ['pinned']
  if (statusList !== undefined) {
    const unknown = statusList.find((s) => !(pinStatusValues as readonly string[]).includes(s))
    if (unknown !== undefined) {
      throw new BadRequestError(
        `status: unknown value ${JSON.stringify(truncate(unknown))}; use ${pinStatusValues.join(', ')}`,
      )
    }
    statuses = [...new Set(statusList)] as PinStatusValue[]
  }

  const bound = (param: 'before' | 'after'): TimestampBound | undefined => {
    const value = single(param)
    if (value === undefined) return undefined
    const parsed = parseTimestamp(value, param === 'before' ? 'up' : 'down')
    if (parsed === undefined) {
      throw new BadRequestError(
        `${param} must be an RFC 3339 date-time such as 2020-07-27T17:32:28.276Z`,
      )
    }
    return parsed
  }
  const before = bound('before')
  const after = bound('after')

  const limitValue = single('limit')
  let limit = 10
  if (limitValue !== undefined) {
    limit = /^\d{1,7}$/.test(limitValue) ? Number(limitValue) : Number.NaN
    if (!(limit >= 1 && limit <= maxListLimit)) {
      throw new BadRequestError(`limit must be an integer from 1 to ${maxListLimit}`)
    }
  }

  const meta = parseMetaFilter(params, single('meta'))

  return {
    ...(cidKeys === undefined ? {} : { cidKeys }),
    ...(name === undefined ? {} : { name }),
    match: matchValue as TextMatch,
    statuses,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
    limit,
    ...(meta === undefined ? {} : { meta }),
  }
}

function parseMetaFilter(
  params: URLSearchParams,
  json: string | undefined,
): Record<string, string> | undefined {
  // No prototype: a `__proto__` key is then an ordinary key, validated like the others.
  const meta = Object.create(null) as Record<string, unknown>
  let given = false
  if (json !== undefined) {
    let value: unknown
    try {
      value = JSON.parse(json)
    } catch {
      throw new BadRequestError('meta must be a URL-escaped JSON object, e.g. {"app":"x"}')
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BadRequestError('meta must be a JSON object of strings')
    }
    Object.assign(meta, value)
    given = true
  }
  for (const [key, value] of params) {
    const bracket = /^meta\[(.+)\]$/.exec(key)
    if (bracket?.[1] === undefined) continue
    if (Object.hasOwn(meta, bracket[1]))
      throw new BadRequestError(`meta: ${bracket[1]} given twice`)
    meta[bracket[1]] = value
    given = true
  }
  if (!given) return undefined
  const parsed = MetaSchema.safeParse(meta)
  if (!parsed.success) throw new BadRequestError(`meta: ${describeIssues(parsed.error)}`)
  return parsed.data
}

/** Zod issues as one line a client can act on: `name: Too big…; meta.x: expected string`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.map(String).join('.')
      return path === '' ? issue.message : `${truncate(path)}: ${issue.message}`
    })
    .join('; ')
}

function truncate(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value
}
