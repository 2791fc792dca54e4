/**
 * Sectors of the Shacham–Waters protocols (storage-proofs.md §3, §4): a chunk of Z = 31·s bytes is s
 * sectors of 31 bytes, each read big-endian, so every sector is below both 2^255−19 and BLS12-381's r.
 */
import { os2ip } from './bytes.js'

/** Sector width in bytes. */
export const SECTOR_BYTES = 31
/** Default sectors per chunk. */
export const DEFAULT_SECTORS = 64

/** The s sector values of one chunk of exactly 31·s bytes. */
export function sectorsOf(chunk: Uint8Array, s: number): bigint[] {
  if (chunk.length !== SECTOR_BYTES * s)
    throw new RangeError(`chunk must be ${SECTOR_BYTES * s} bytes`)
  const out: bigint[] = []
  for (let j = 0; j < s; j++)
    out.push(os2ip(chunk.subarray(SECTOR_BYTES * j, SECTOR_BYTES * (j + 1))))
  return out
}

/** Checks a sector count (1–256, §2.5 limit). */
export function checkSectors(s: number): void {
  if (!Number.isInteger(s) || s < 1 || s > 256)
    throw new RangeError(`sectors must be 1–256, got ${s}`)
}
