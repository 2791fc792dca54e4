/**
 * Strict readers and writers for PNPF value types (storage-proofs.md §2.5): fixed-width unsigned
 * integers, `fe` (canonical field elements), `int` (minimal big-endian), `rsa` (exact width, in
 * [1, N)), and `list<X>`. Every reader throws {@link ProofFormatError} instead of guessing.
 */
import { concat, i2osp, intToBytes, lp, os2ip, u32 } from './bytes.js'
import { ensureFormat } from './errors.js'

/** Reads a `u8`/`u16`/`u32` field of exactly `width` bytes. */
export function readUint(bytes: Uint8Array, width: 1 | 2 | 4, what: string): number {
  ensureFormat(bytes.length === width, `${what}: expected ${width} bytes, got ${bytes.length}`)
  let v = 0
  for (const b of bytes) v = v * 256 + b
  return v
}

/** Reads a `u64` field as a safe integer (counts and offsets never exceed 2^53 here). */
export function readU64(bytes: Uint8Array, what: string): number {
  ensureFormat(bytes.length === 8, `${what}: expected 8 bytes, got ${bytes.length}`)
  const v = os2ip(bytes)
  ensureFormat(v <= BigInt(Number.MAX_SAFE_INTEGER), `${what}: above 2^53`)
  return Number(v)
}

/** Reads exactly `length` bytes (a copy, so later mutation of the frame cannot alter the value). */
export function readFixed(bytes: Uint8Array, length: number, what: string): Uint8Array {
  ensureFormat(bytes.length === length, `${what}: expected ${length} bytes, got ${bytes.length}`)
  return bytes.slice()
}

/** Reads an `fe`: exactly `width` bytes, value < `modulus` (no non-canonical encodings). */
export function readFe(bytes: Uint8Array, width: number, modulus: bigint, what: string): bigint {
  ensureFormat(bytes.length === width, `${what}: expected ${width} bytes, got ${bytes.length}`)
  const v = os2ip(bytes)
  ensureFormat(v < modulus, `${what}: not a canonical field element`)
  return v
}

/** Reads `count` concatenated `fe(width)` values. */
export function readFeArray(
  bytes: Uint8Array,
  count: number,
  width: number,
  modulus: bigint,
  what: string,
): bigint[] {
  ensureFormat(bytes.length === count * width, `${what}: expected ${count} × ${width} bytes`)
  const out: bigint[] = []
  for (let i = 0; i < count; i++)
    out.push(readFe(bytes.subarray(i * width, (i + 1) * width), width, modulus, what))
  return out
}

/** Writes concatenated `fe(width)` values. */
export function writeFeArray(values: readonly bigint[], width: number): Uint8Array {
  return concat(...values.map((v) => i2osp(v, width)))
}

/** Reads an `int`: minimal big-endian (zero is 0x00), at most `maxBits` bits. */
export function readInt(bytes: Uint8Array, maxBits: number, what: string): bigint {
  ensureFormat(bytes.length >= 1, `${what}: empty int`)
  ensureFormat(bytes.length === 1 || bytes[0] !== 0, `${what}: non-minimal int encoding`)
  ensureFormat(bytes.length <= Math.ceil(maxBits / 8) + 1, `${what}: int too large`)
  const v = os2ip(bytes)
  ensureFormat(v.toString(2).length <= maxBits, `${what}: int above ${maxBits} bits`)
  return v
}

/** Writes an `int` (minimal big-endian). */
export const writeInt = intToBytes

/** Reads an `rsa` value: exactly `byteLen(N)` bytes, value in [1, N). */
export function readRsa(bytes: Uint8Array, n: bigint, width: number, what: string): bigint {
  ensureFormat(bytes.length === width, `${what}: expected ${width} bytes, got ${bytes.length}`)
  const v = os2ip(bytes)
  ensureFormat(v >= 1n && v < n, `${what}: not in [1, N)`)
  return v
}

/** Writes a `list<X>`: `u32 count ‖ LP(x_1) ‖ …`. */
export function writeList(items: readonly Uint8Array[]): Uint8Array {
  return concat(u32(items.length), ...items.map(lp))
}

/** Reads a `list<X>` of at most `maxCount` items; trailing or missing bytes reject. */
export function readList(bytes: Uint8Array, maxCount: number, what: string): Uint8Array[] {
  ensureFormat(bytes.length >= 4, `${what}: truncated list`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const count = view.getUint32(0)
  ensureFormat(count <= maxCount, `${what}: ${count} items exceed the limit of ${maxCount}`)
  const out: Uint8Array[] = []
  let at = 4
  for (let i = 0; i < count; i++) {
    ensureFormat(at + 4 <= bytes.length, `${what}: truncated list item`)
    const len = view.getUint32(at)
    at += 4
    ensureFormat(len <= bytes.length - at, `${what}: truncated list item`)
    out.push(bytes.subarray(at, at + len))
    at += len
  }
  ensureFormat(at === bytes.length, `${what}: trailing bytes after list`)
  return out
}
