import { GatewayRequestError, RangeNotSatisfiableError } from './errors.js'

/** One byte range, both ends inclusive (as in `Content-Range`). */
export interface ByteRange {
  start: number
  end: number
}

/** More ranges than this and the Range header is ignored (a full 200 is always allowed). */
export const maxRanges = 16

const specPattern = /^(\d*)-(\d*)$/

/**
 * Parses a `Range` header against a representation of `size` bytes (RFC 9110 §14). Returns
 * undefined when the whole representation should be sent: no header, another unit, an empty
 * representation, or more than {@link maxRanges} ranges. Unsatisfiable ranges are dropped.
 *
 * @throws GatewayRequestError (400) for a malformed `bytes=` header; RangeNotSatisfiableError
 *   (416) when no range overlaps the representation.
 */
export function parseRange(header: string | undefined, size: number): ByteRange[] | undefined {
  if (header === undefined) return undefined
  const trimmed = header.trim()
  if (!trimmed.toLowerCase().startsWith('bytes=')) return undefined
  const specs = trimmed
    .slice(6)
    .split(',')
    .map((spec) => spec.trim())
  if (specs.length > maxRanges || size === 0) return undefined
  const ranges: ByteRange[] = []
  for (const spec of specs) {
    const match = specPattern.exec(spec)
    if (match === null || (match[1] === '' && match[2] === ''))
      throw new GatewayRequestError(`Malformed Range "${spec.slice(0, 64)}"`)
    const [, first = '', last = ''] = match
    if (first === '') {
      const suffix = Number(last)
      if (suffix === 0) continue
      ranges.push({ start: Math.max(0, size - suffix), end: size - 1 })
      continue
    }
    const start = Number(first)
    const end = last === '' ? size - 1 : Math.min(Number(last), size - 1)
    if (last !== '' && Number(last) < start)
      throw new GatewayRequestError(`Malformed Range "${spec.slice(0, 64)}"`)
    if (start >= size) continue
    ranges.push({ start, end })
  }
  if (ranges.length === 0) throw new RangeNotSatisfiableError(size)
  return ranges
}
