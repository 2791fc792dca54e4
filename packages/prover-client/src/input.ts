/** Normalises what an API response gives (base64 strings) or a caller holds (bytes) into bytes. */
import { fromBase64 } from '@pinion/proofs'

/** Bytes, or the standard padded base64 the prover API returns them as. */
export type BytesInput = Uint8Array | string

/** Decodes a {@link BytesInput}; throws ProofFormatError (from @pinion/proofs) on bad base64, TypeError on other types. */
export function toBytes(input: BytesInput, what: string): Uint8Array {
  if (input instanceof Uint8Array) return input
  if (typeof input === 'string') return fromBase64(input, what)
  throw new TypeError(`${what} must be bytes or base64`)
}

/** A key id given as bytes or as its UTF-8 string. */
export function keyIdBytes(keyId: Uint8Array | string): Uint8Array {
  if (keyId instanceof Uint8Array) return keyId
  if (typeof keyId === 'string' && keyId.length > 0) return new TextEncoder().encode(keyId)
  throw new TypeError('keyId must be non-empty bytes or a string')
}
