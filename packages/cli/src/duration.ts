import { CliError } from './io.js'

const units: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

/**
 * Parses `30s`, `90m`, `12h`, `30d`, `2w` into milliseconds; `never` gives undefined (no expiry).
 * @throws CliError (usage) for anything else.
 */
export function parseDuration(text: string): number | undefined {
  if (text === 'never') return undefined
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim())
  const amount = match ? Number(match[1]) : 0
  const unit = match?.[2] ? units[match[2]] : undefined
  if (!unit || amount <= 0)
    throw new CliError(`invalid duration "${text}": use e.g. 30s, 90m, 12h, 30d, 2w or never`, 2)
  return amount * unit
}
