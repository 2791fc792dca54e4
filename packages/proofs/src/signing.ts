/**
 * Service signatures (storage-proofs.md §2.8): Ed25519 over `LP(label) ‖ H(frame)` with the labels
 * `L("service","setup")`, `L("service","root")` and `L("service","receipt")`, carried in a
 * signed-envelope frame (kind 0x08). Clients pin the service's public key out of band.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { bytesEqual, lp } from './bytes.js'
import { ensureFormat } from './errors.js'
import { decodeFrame, encodeFrame, field, FrameKind, peekFrameHeader } from './frame.js'
import { H, label } from './hash.js'

/** What a signature vouches for. */
export type SignaturePurpose = 'setup' | 'root' | 'receipt'

/** A signature that does not verify under the pinned key: report as `untrusted-setup`. */
export class SignatureError extends RangeError {
  override readonly name = 'SignatureError'
}

const E = { label: 1, payload: 2, publicKey: 3, signature: 4 }

function message(purpose: SignaturePurpose, frame: Uint8Array): Uint8Array {
  return new Uint8Array([...lp(label('service', purpose)), ...H(frame)])
}

/** A fresh Ed25519 key pair for the service (32-byte secret, 32-byte public key). */
export function createSigningKey(): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const { secretKey, publicKey } = ed25519.keygen()
  return { secretKey, publicKey }
}

/**
 * Signs a PNPF frame and wraps it in a signed envelope carrying the payload, the signer's public key
 * and the signature.
 *
 * @throws {@link ProofFormatError} if `frame` is not a PNPF frame; RangeError on a bad secret key.
 */
export function signFrame(
  secretKey: Uint8Array,
  purpose: SignaturePurpose,
  frame: Uint8Array,
): Uint8Array {
  const header = peekFrameHeader(frame)
  if (secretKey.length !== 32) throw new RangeError('Ed25519 secret keys are 32 bytes')
  return encodeFrame(FrameKind.signedEnvelope, header.protocol, header.suite, [
    [E.label, label('service', purpose)],
    [E.payload, frame],
    [E.publicKey, ed25519.getPublicKey(secretKey)],
    [E.signature, ed25519.sign(message(purpose, frame), secretKey)],
  ])
}

/**
 * Opens a signed envelope: checks the purpose, that the signer is the pinned key and the signature,
 * and returns the payload frame.
 *
 * @throws {@link ProofFormatError} on a malformed envelope; {@link SignatureError} when the signer or
 *   signature is not the pinned service's.
 */
export function openEnvelope(
  envelope: Uint8Array,
  trustedKey: Uint8Array,
  purpose: SignaturePurpose,
): Uint8Array {
  const f = decodeFrame(envelope, { kind: FrameKind.signedEnvelope, known: [1, 2, 3, 4] })
  ensureFormat(
    bytesEqual(field(f, E.label), label('service', purpose)),
    `envelope is not a ${purpose} signature`,
  )
  const payload = field(f, E.payload).slice()
  const header = peekFrameHeader(payload)
  ensureFormat(
    header.protocol === f.protocol && header.suite === f.suite,
    'envelope header differs from its payload',
  )
  const publicKey = field(f, E.publicKey)
  ensureFormat(
    publicKey.length === 32 && field(f, E.signature).length === 64,
    'bad key or signature length',
  )
  if (!bytesEqual(publicKey, trustedKey))
    throw new SignatureError('signed by a key other than the pinned service key')
  let valid = false
  try {
    valid = ed25519.verify(field(f, E.signature), message(purpose, payload), trustedKey)
  } catch {
    valid = false
  }
  if (!valid) throw new SignatureError('service signature does not verify')
  return payload
}
