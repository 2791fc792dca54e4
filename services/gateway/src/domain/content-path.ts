import { supportedCodecs } from '@pinion/blockstore'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { GatewayRequestError } from './errors.js'

/** An immutable content path, `/ipfs/<cid>[/<segment>…][/]`, parsed and validated. */
export interface ContentPath {
  readonly cid: CID
  /** The CID in its canonical string form (CIDv0 stays base58btc); used in headers and links. */
  readonly cidText: string
  /** Path segments after the CID, percent-decoded once. */
  readonly segments: readonly string[]
  /** Whether the request path ended with `/` (directory URLs). */
  readonly trailingSlash: boolean
}

/** Bounds on what a request path may be. */
export interface PathLimits {
  /** Longest raw path, in bytes. */
  maxLength: number
  /** Most segments after the CID. */
  maxSegments: number
}

/** Multihash functions the blockstore can hold blocks of (identity, sha2-256, sha2-512). */
const hashCodes: ReadonlySet<number> = new Set([identity.code, 0x12, 0x13])
/** IPIP-0512: longer identity digests are refused, as the blockstore refuses to store them. */
const maxIdentityDigest = 128

function decodeSegment(raw: string): string {
  let segment: string
  try {
    segment = decodeURIComponent(raw)
  } catch (error) {
    throw new GatewayRequestError(`Invalid percent-encoding in path segment "${raw}"`, {
      cause: error,
    })
  }
  // UnixFS names cannot hold "/" and "." / ".." would step out of the DAG being served: refuse
  // them outright instead of normalising, so no path ever resolves somewhere unexpected.
  if (segment === '' || segment === '.' || segment === '..')
    throw new GatewayRequestError(`Invalid path segment "${raw}"`)
  if (segment.includes('/') || segment.includes('\0'))
    throw new GatewayRequestError(`Path segment "${raw}" may not contain "/" or NUL`)
  return segment
}

/**
 * CIDs parsed and validated recently, by their text: the same few CIDs are asked for again and
 * again, and parsing (multibase decoding) costs several µs per request.
 * CIDs are immutable values; only valid ones are kept; bounded by clearing when full.
 */
const parsedCids = new Map<string, CID>()
const maxParsedCids = 4096

/**
 * Parses and validates a CID in path position (memoised: see {@link parsedCids}).
 *
 * @throws GatewayRequestError (400) for an unparsable CID, an unsupported codec or hash function,
 *   or an identity digest over 128 bytes.
 */
export function parseCid(text: string): CID {
  const known = parsedCids.get(text)
  if (known !== undefined) return known
  const cid = parseNewCid(text)
  if (parsedCids.size >= maxParsedCids) parsedCids.clear()
  parsedCids.set(text, cid)
  return cid
}

/**
 * Parses and validates a CID in path position.
 *
 * @throws GatewayRequestError (400) for an unparsable CID, an unsupported codec or hash function,
 *   or an identity digest over 128 bytes.
 */
function parseNewCid(text: string): CID {
  let cid: CID
  try {
    cid = CID.parse(text)
  } catch (error) {
    throw new GatewayRequestError(`Invalid CID "${text.slice(0, 128)}"`, { cause: error })
  }
  if (!supportedCodecs.has(cid.code))
    throw new GatewayRequestError(`Unsupported codec 0x${cid.code.toString(16)} in ${text}`)
  if (!hashCodes.has(cid.multihash.code))
    throw new GatewayRequestError(
      `Unsupported hash function 0x${cid.multihash.code.toString(16)} in ${text}`,
    )
  if (cid.multihash.code === identity.code && cid.multihash.size > maxIdentityDigest)
    throw new GatewayRequestError(
      `Identity CID digest of ${cid.multihash.size} bytes exceeds ${maxIdentityDigest}`,
    )
  return cid
}

/**
 * Parses the raw (still percent-encoded) request path below `/ipfs`: `/<cid>[/<segments>][/]`.
 *
 * @throws GatewayRequestError (400) for a missing or invalid CID, a path over the limits, bad
 *   percent-encoding, or `.`, `..`, empty, `/`- or NUL-bearing segments.
 */
export function parseContentPath(rawPath: string, limits: PathLimits): ContentPath {
  if (rawPath.length > limits.maxLength)
    throw new GatewayRequestError(`Path longer than ${limits.maxLength} bytes`)
  if (!rawPath.startsWith('/')) throw new GatewayRequestError('Missing CID in path')
  const trailingSlash = rawPath.length > 1 && rawPath.endsWith('/')
  const parts = rawPath.slice(1, trailingSlash ? -1 : undefined).split('/')
  const [cidText = '', ...rawSegments] = parts
  if (cidText === '') throw new GatewayRequestError('Missing CID in path')
  if (rawSegments.length > limits.maxSegments)
    throw new GatewayRequestError(`Path deeper than ${limits.maxSegments} segments`)
  const cid = parseCid(decodeSegment(cidText))
  return { cid, cidText: cid.toString(), segments: rawSegments.map(decodeSegment), trailingSlash }
}

/** `/seg/seg` with each segment percent-encoded (for Location, links and X-Ipfs-Path). */
export function encodeSegments(segments: readonly string[]): string {
  return segments.map((segment) => `/${encodeURIComponent(segment)}`).join('')
}

/** The content path as `X-Ipfs-Path` carries it: `/ipfs/<cid>/<encoded path>[/]`. */
export function contentPathText(path: ContentPath): string {
  return `/ipfs/${path.cidText}${encodeSegments(path.segments)}${path.trailingSlash ? '/' : ''}`
}
