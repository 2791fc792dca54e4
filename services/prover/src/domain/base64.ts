/** Base64 in the API: JSON fields carry frames as standard padded base64 (storage-proofs.md §2.5). */
import { BadRequestError } from '@pinion/service-kit'

/** Encodes bytes as standard padded base64. */
export function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/**
 * Decodes a base64 request field.
 *
 * @throws BadRequestError naming the field when it is not canonical standard base64.
 */
export function fromB64(text: string, field: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64')
  if (bytes.toString('base64') !== text)
    throw new BadRequestError(`${field} must be standard padded base64`)
  return new Uint8Array(bytes)
}
