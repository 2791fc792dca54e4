/**
 * PNPF v1, the one binary framing of every stored or transmitted object (storage-proofs.md §2.5):
 * `"PNPF" ‖ u8 version ‖ u8 kind ‖ u8 protocol ‖ u8 suite ‖ { u8 field_no, u32 len, bytes }*`.
 * Decoding is strict: fields ascend, none repeats, unknown critical fields (0x01–0x7F) reject,
 * extensions (0x80–0xFF) are skipped, and the frame is at most 16 MiB.
 */
import { concat, u32, u8 } from './bytes.js'
import { ensureFormat, ProofFormatError } from './errors.js'

/** Frame kinds (§2.5). `taSecret` (0x09) is this library's addition: the TA's own key, never sent. */
export const FrameKind = {
  publicSetup: 0x01,
  ownerSecret: 0x02,
  proverSetup: 0x03,
  tagBatch: 0x04,
  rootDescriptor: 0x05,
  challenge: 0x06,
  proof: 0x07,
  signedEnvelope: 0x08,
  taSecret: 0x09,
} as const
/** One of the {@link FrameKind} values. */
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind]

/** The five protocols by name. */
export type ProtocolName = 'sw-priv' | 'sw-pub' | 'ateniese' | 'erway' | 'bjo'

/** Protocol byte of each protocol (§2.5). */
export const protocolIds: Readonly<Record<ProtocolName, number>> = {
  'sw-priv': 0x01,
  'sw-pub': 0x02,
  ateniese: 0x03,
  erway: 0x04,
  bjo: 0x05,
}

/** Name of a protocol byte; throws {@link ProofFormatError} for an unknown byte. */
export function protocolName(id: number): ProtocolName {
  for (const [name, value] of Object.entries(protocolIds))
    if (value === id) return name as ProtocolName
  throw new ProofFormatError(`unknown protocol byte 0x${id.toString(16)}`)
}

/** Largest frame accepted or produced, in bytes (§2.5). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024
const MAGIC = Uint8Array.of(0x50, 0x4e, 0x50, 0x46)
const VERSION = 0x01
const HEADER_BYTES = 8

/** A frame's header and its fields by number. */
export interface Frame {
  readonly kind: FrameKind
  readonly protocol: number
  readonly suite: number
  /** Field values by field number, in ascending order. */
  readonly fields: ReadonlyMap<number, Uint8Array>
}

/**
 * Encodes a frame. Fields are written in ascending number order; `undefined` values are omitted.
 *
 * @throws RangeError on a repeated or out-of-range field number, or a frame above 16 MiB.
 */
export function encodeFrame(
  kind: FrameKind,
  protocol: number,
  suite: number,
  fields: ReadonlyArray<readonly [number, Uint8Array | undefined]>,
): Uint8Array {
  const present = fields.filter((f): f is readonly [number, Uint8Array] => f[1] !== undefined)
  const sorted = [...present].sort((a, b) => a[0] - b[0])
  const parts: Uint8Array[] = [MAGIC, u8(VERSION), u8(kind), u8(protocol), u8(suite)]
  let last = 0
  for (const [no, value] of sorted) {
    if (!Number.isInteger(no) || no < 1 || no > 0xff) throw new RangeError(`bad field number ${no}`)
    if (no === last) throw new RangeError(`field 0x${no.toString(16)} given twice`)
    last = no
    parts.push(u8(no), u32(value.length), value)
  }
  const out = concat(...parts)
  if (out.length > MAX_FRAME_BYTES)
    throw new RangeError(`frame of ${out.length} bytes exceeds 16 MiB`)
  return out
}

/** What {@link decodeFrame} must find in the header, and which critical fields it understands. */
export interface FrameExpectation {
  readonly kind: FrameKind
  /** Protocol byte required, if any. */
  readonly protocol?: number
  /** Allowed suite bytes, if restricted. */
  readonly suites?: readonly number[]
  /** Critical field numbers (0x01–0x7F) this reader knows; any other critical field rejects. */
  readonly known: readonly number[]
  /** Field numbers that must be present. */
  readonly required?: readonly number[]
}

/**
 * Decodes and validates a frame's structure (not its field contents).
 *
 * @throws {@link ProofFormatError} for anything that is not a canonical PNPF v1 frame of the expected
 *   kind/protocol/suite: bad magic, version, truncation, trailing bytes, descending or repeated fields,
 *   unknown critical fields, missing required fields, or more than 16 MiB.
 * @throws TypeError if `bytes` is not a Uint8Array.
 */
export function decodeFrame(bytes: Uint8Array, expect: FrameExpectation): Frame {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('frame must be a Uint8Array')
  ensureFormat(bytes.length <= MAX_FRAME_BYTES, 'frame exceeds 16 MiB')
  ensureFormat(bytes.length >= HEADER_BYTES, 'frame truncated: no header')
  for (let i = 0; i < 4; i++) ensureFormat(bytes[i] === MAGIC[i], 'bad magic: not a PNPF frame')
  ensureFormat(bytes[4] === VERSION, `unsupported PNPF version ${bytes[4]}`)
  const kind = bytes[5]!
  const protocol = bytes[6]!
  const suite = bytes[7]!
  ensureFormat(
    kind === expect.kind,
    `expected frame kind 0x0${expect.kind}, got 0x${kind.toString(16)}`,
  )
  if (expect.protocol !== undefined) {
    ensureFormat(protocol === expect.protocol, `frame is for protocol 0x${protocol.toString(16)}`)
  }
  if (expect.suites)
    ensureFormat(expect.suites.includes(suite), `unsupported suite 0x${suite.toString(16)}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const fields = new Map<number, Uint8Array>()
  let at = HEADER_BYTES
  let last = 0
  while (at < bytes.length) {
    ensureFormat(at + 5 <= bytes.length, 'frame truncated inside a field header')
    const no = bytes[at]!
    const len = view.getUint32(at + 1)
    at += 5
    ensureFormat(no !== 0, 'field number 0 is reserved')
    ensureFormat(no > last, `field 0x${no.toString(16)} out of order or repeated`)
    ensureFormat(len <= bytes.length - at, `frame truncated inside field 0x${no.toString(16)}`)
    last = no
    const isCritical = no < 0x80
    if (isCritical) {
      ensureFormat(expect.known.includes(no), `unknown critical field 0x${no.toString(16)}`)
    }
    fields.set(no, bytes.subarray(at, at + len))
    at += len
  }
  for (const no of expect.required ?? expect.known) {
    ensureFormat(fields.has(no), `missing field 0x${no.toString(16)}`)
  }
  return { kind: kind as FrameKind, protocol, suite, fields }
}

/** Reads the header of a frame without validating its body; throws {@link ProofFormatError}. */
export function peekFrameHeader(bytes: Uint8Array): {
  kind: number
  protocol: number
  suite: number
} {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('frame must be a Uint8Array')
  ensureFormat(bytes.length >= HEADER_BYTES, 'frame truncated: no header')
  for (let i = 0; i < 4; i++) ensureFormat(bytes[i] === MAGIC[i], 'bad magic: not a PNPF frame')
  ensureFormat(bytes[4] === VERSION, `unsupported PNPF version ${bytes[4]}`)
  return { kind: bytes[5]!, protocol: bytes[6]!, suite: bytes[7]! }
}

/** A field that {@link decodeFrame} proved present; throws {@link ProofFormatError} otherwise. */
export function field(frame: Frame, no: number): Uint8Array {
  const v = frame.fields.get(no)
  ensureFormat(v !== undefined, `missing field 0x${no.toString(16)}`)
  return v
}
