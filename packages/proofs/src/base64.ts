/** Strict standard-alphabet, padded base64 (the compat wire and the HTTP JSON fields, §2.5). */
import { ProofFormatError } from './errors.js'

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Encodes bytes as padded standard base64. */
export function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s)
}

/** Decodes padded standard base64; throws {@link ProofFormatError} on anything else. */
export function fromBase64(text: string, what = 'base64'): Uint8Array {
  if (typeof text !== 'string' || !B64.test(text))
    throw new ProofFormatError(`${what}: not padded standard base64`)
  const s = atob(text)
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}
