/**
 * Sealing of TA secrets at rest: AES-256-GCM with a fresh 12-byte nonce, the key id as associated
 * data (a sealed secret copied onto another key's row does not open). Layout: nonce ‖ ciphertext ‖
 * 16-byte tag. Only the tagging threads call {@link openSecret}.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

const NONCE_BYTES = 12
const TAG_BYTES = 16

/** Seals `plaintext` for key `keyId` under the 32-byte `sealKey`. */
export function sealSecret(sealKey: Uint8Array, keyId: string, plaintext: Uint8Array): Uint8Array {
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', sealKey, nonce)
  cipher.setAAD(Buffer.from(keyId, 'utf8'))
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return new Uint8Array(Buffer.concat([nonce, body, cipher.getAuthTag()]))
}

/**
 * Opens a sealed secret of key `keyId`.
 *
 * @throws Error when the box was tampered with, belongs to another key or another seal key.
 */
export function openSecret(sealKey: Uint8Array, keyId: string, sealed: Uint8Array): Uint8Array {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new Error('sealed secret truncated')
  const decipher = createDecipheriv('aes-256-gcm', sealKey, sealed.subarray(0, NONCE_BYTES))
  decipher.setAAD(Buffer.from(keyId, 'utf8'))
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
  try {
    return new Uint8Array(
      Buffer.concat([
        decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]),
    )
  } catch (cause) {
    throw new Error('sealed secret does not open (wrong key, key id or tampered)', { cause })
  }
}
