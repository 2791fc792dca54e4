/**
 * `before`/`after` as clients send them: RFC 3339 with any fraction length (Kubo sends
 * nanoseconds, JS clients milliseconds) and `Z` or an offset, whose `+` may have arrived as a space
 * (an unencoded `+` in a query string). Postgres keeps microseconds, so the bound is rounded in
 * the direction that keeps the strict comparison exact for `created` (whole milliseconds).
 */

const pattern =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+\- ]\d{2}:\d{2})$/

/** An instant with microsecond precision, as text Postgres reads as `timestamptz`. */
export interface TimestampBound {
  /** ISO 8601 UTC with 6 fraction digits. */
  readonly text: string
  /** The same instant, millisecond precision (for display and tests). */
  readonly date: Date
}

/**
 * Parses an RFC 3339 timestamp. `round` says where a sub-microsecond remainder goes: `up` for an
 * exclusive upper bound (`created < before`), `down` for an exclusive lower bound
 * (`created > after`). Answers `undefined` for anything that is not a real instant.
 */
export function parseTimestamp(value: string, round: 'up' | 'down'): TimestampBound | undefined {
  const match = pattern.exec(value)
  if (match === null) return undefined
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone[0] === '-' ? '-' : '+'}${zone.slice(1)}`
  const wholeSeconds = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${offset}`)
  if (Number.isNaN(wholeSeconds)) return undefined
  // Date.parse rolls 31 February over to March; a real calendar date survives the round trip.
  const check = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))
  if (
    check.getUTCFullYear() !== Number(year) ||
    check.getUTCMonth() !== Number(month) - 1 ||
    check.getUTCDate() !== Number(day) ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59
  ) {
    return undefined
  }
  const nanos = fraction.padEnd(9, '0')
  let micros = Number(nanos.slice(0, 6))
  if (round === 'up' && Number(nanos.slice(6)) > 0) micros += 1
  const epochMicros = BigInt(wholeSeconds) * 1000n + BigInt(micros)
  const seconds = epochMicros / 1_000_000n
  const rest = (epochMicros % 1_000_000n).toString().padStart(6, '0')
  const base = new Date(Number(seconds) * 1000)
  if (Number.isNaN(base.getTime()) || base.getUTCFullYear() > 9999) return undefined
  const text = `${base.toISOString().slice(0, 19)}.${rest}Z`
  return { text, date: new Date(Number(epochMicros / 1000n)) }
}
