/**
 * Byte helpers for the spec's notation (storage-proofs.md §2.1): big-endian integers, `LP`, `I2OSP`,
 * `OS2IP`. Pure Uint8Array code so the package runs unchanged in browsers.
 */
import { ProofFormatError } from './errors.js'

/** Concatenates byte arrays into one new array. */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0
  for (const p of parts) length += p.length
  const out = new Uint8Array(length)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** `u8(x)`; throws RangeError outside 0..255. */
export function u8(x: number): Uint8Array {
  if (!Number.isInteger(x) || x < 0 || x > 0xff) throw new RangeError(`u8 out of range: ${x}`)
  return Uint8Array.of(x)
}

/** `u16(x)` big-endian; throws RangeError outside 0..65535. */
export function u16(x: number): Uint8Array {
  if (!Number.isInteger(x) || x < 0 || x > 0xffff) throw new RangeError(`u16 out of range: ${x}`)
  return Uint8Array.of(x >>> 8, x & 0xff)
}

/** `u32(x)` big-endian; throws RangeError outside 0..2^32-1. */
export function u32(x: number): Uint8Array {
  if (!Number.isInteger(x) || x < 0 || x > 0xffffffff)
    throw new RangeError(`u32 out of range: ${x}`)
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, x)
  return out
}

/** `u64(x)` big-endian from a safe integer or bigint; throws RangeError outside 0..2^64-1. */
export function u64(x: number | bigint): Uint8Array {
  const v = BigInt(x)
  if (typeof x === 'number' && !Number.isSafeInteger(x))
    throw new RangeError(`u64 not a safe integer: ${x}`)
  if (v < 0n || v >= 1n << 64n) throw new RangeError(`u64 out of range: ${v}`)
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, v)
  return out
}

/** `LP(x) = u32(len(x)) ‖ x`. */
export function lp(x: Uint8Array): Uint8Array {
  return concat(u32(x.length), x)
}

/** ASCII/UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s)
}

/** `OS2IP`: big-endian bytes to a non-negative bigint (empty → 0). */
export function os2ip(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n
  return BigInt('0x' + toHex(bytes))
}

/** `I2OSP(x, w)`: x as exactly `w` big-endian bytes; throws RangeError if it does not fit. */
export function i2osp(x: bigint, w: number): Uint8Array {
  if (x < 0n) throw new RangeError('I2OSP of a negative integer')
  const hex = x.toString(16)
  if (hex.length > 2 * w && x !== 0n) throw new RangeError(`integer does not fit in ${w} bytes`)
  return fromHex(hex.padStart(2 * w, '0'))
}

/** Minimal big-endian encoding (`int` in §2.5): zero is the single byte 0x00. */
export function intToBytes(x: bigint): Uint8Array {
  if (x < 0n) throw new RangeError('negative int')
  const hex = x.toString(16)
  return fromHex(hex.length % 2 === 0 ? hex : '0' + hex)
}

/** Byte length of a positive modulus: `byteLen(N)`. */
export function byteLength(n: bigint): number {
  return Math.ceil(n.toString(2).length / 8)
}

/** Bit length of a non-negative bigint (0 → 0). */
export function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

/** Bytes of an even-length hex string; throws {@link ProofFormatError} on bad hex. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new ProofFormatError('bad hex')
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** Constant-time-in-length equality of two byte arrays. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/** Unsigned bytewise comparison (the order of §2.2's canonical block list). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!
  }
  return a.length - b.length
}
