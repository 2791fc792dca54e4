/** Root CIDs as the API takes them, and the canonical root order of a key (§2.3). */
import { BadRequestError } from '@pinion/service-kit'
import { CID } from 'multiformats/cid'

/**
 * Parses a root CID string.
 *
 * @throws BadRequestError when it is not a CID.
 */
export function parseRoot(text: string): CID {
  try {
    return CID.parse(text)
  } catch {
    throw new BadRequestError(`"${text.slice(0, 100)}" is not a CID`)
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

/** Sorts items by their root CID's raw bytes: the order an empty `roots` list means (§2.3). */
export function byRootBytes<T extends { root: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareBytes(CID.parse(a.root).bytes, CID.parse(b.root).bytes))
}
