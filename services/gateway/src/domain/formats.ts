import { GatewayRequestError } from './errors.js'

/** The explicit response formats of the path and trustless gateway specs (IPNS records aside). */
export type ResponseFormat = 'raw' | 'car' | 'tar' | 'dag-json' | 'dag-cbor' | 'json' | 'cbor'

/** `?format=` value → media type (the spec's equivalence table). */
export const formatMediaTypes: Readonly<Record<ResponseFormat, string>> = {
  raw: 'application/vnd.ipld.raw',
  car: 'application/vnd.ipld.car',
  tar: 'application/x-tar',
  'dag-json': 'application/vnd.ipld.dag-json',
  'dag-cbor': 'application/vnd.ipld.dag-cbor',
  json: 'application/json',
  cbor: 'application/cbor',
}

const formatsByMediaType = new Map(
  Object.entries(formatMediaTypes).map(([format, type]) => [type, format as ResponseFormat]),
)

/** CAR parameters as asked (`Accept` params, overridden by `car-*` query parameters). */
export interface CarParamsRequest {
  version?: string | undefined
  order?: string | undefined
  dups?: string | undefined
}

/** What the client asked for, before looking at the content. */
export interface FormatRequest {
  /** The explicit format, or undefined for the default (deserialized) response. */
  readonly format: ResponseFormat | undefined
  /** Where the format came from: `?format=` wins over `Accept` (IPIP-0523). */
  readonly source: 'query' | 'accept' | undefined
  /** CAR parameters, for `format === 'car'`. */
  readonly car: CarParamsRequest
  /** Whether `Accept` names `text/html` (the DAG preview of dag-json/dag-cbor). */
  readonly acceptsHtml: boolean
}

/** The query parameters format negotiation reads. */
export interface FormatQuery {
  format?: string | undefined
  'car-version'?: string | undefined
  'car-order'?: string | undefined
  'car-dups'?: string | undefined
}

interface AcceptEntry {
  type: string
  params: Map<string, string>
}

function parseAccept(header: string | undefined): AcceptEntry[] {
  if (header === undefined) return []
  return header.split(',').map((item) => {
    const [type = '', ...params] = item.split(';').map((part) => part.trim())
    const entries = params.map((param) => {
      const at = param.indexOf('=')
      return at < 0
        ? [param.toLowerCase(), '']
        : [
            param.slice(0, at).trim().toLowerCase(),
            param
              .slice(at + 1)
              .trim()
              .replace(/^"|"$/g, ''),
          ]
    })
    return { type: type.toLowerCase(), params: new Map(entries as [string, string][]) }
  })
}

/** Media types whose first appearance in `Accept` selects an explicit format (boxo's rule). */
function isFormatType(type: string): boolean {
  return (
    type.startsWith('application/vnd.ipld.') ||
    type.startsWith('application/vnd.ipfs.') ||
    type === 'application/x-tar' ||
    type === 'application/json' ||
    type === 'application/cbor'
  )
}

function formatFromQuery(value: string): ResponseFormat {
  if (value in formatMediaTypes) return value as ResponseFormat
  if (value === 'ipns-record')
    throw new GatewayRequestError('IPNS records are not served by this gateway (/ipfs only)')
  throw new GatewayRequestError(`Unsupported format "${value.slice(0, 64)}"`)
}

/**
 * Works out the requested response format: `?format=` first, else the first `Accept` entry that
 * names an IPLD/IPFS, TAR, JSON or CBOR type (quality weights are ignored, as boxo does). CAR
 * parameters come from the matching `Accept` entry, and the `car-*` query parameters win over it.
 *
 * @throws GatewayRequestError (400) for an unknown `?format=` or `application/vnd.ipld.*` type.
 */
export function negotiateFormat(
  query: FormatQuery,
  acceptHeader: string | undefined,
): FormatRequest {
  const accept = parseAccept(acceptHeader)
  const acceptsHtml = accept.some((entry) => entry.type === 'text/html')
  const acceptEntry = accept.find((entry) => isFormatType(entry.type))
  let format: ResponseFormat | undefined
  let source: FormatRequest['source']
  if (query.format !== undefined && query.format !== '') {
    format = formatFromQuery(query.format)
    source = 'query'
  } else if (acceptEntry !== undefined) {
    format = formatsByMediaType.get(acceptEntry.type)
    if (format === undefined)
      throw new GatewayRequestError(`Unsupported media type "${acceptEntry.type.slice(0, 64)}"`)
    source = 'accept'
  }
  const params =
    format === 'car' && acceptEntry?.type === formatMediaTypes.car ? acceptEntry.params : undefined
  const car: CarParamsRequest = {
    version: query['car-version'] || params?.get('version'),
    order: query['car-order'] || params?.get('order'),
    dups: query['car-dups'] || params?.get('dups'),
  }
  return { format, source, car, acceptsHtml }
}
