/**
 * The service's signatures over what auditors verify with (storage-proofs.md §2.8): public setups
 * and root descriptors, as signed-envelope frames. Auditors pin the public key
 * (`GET /prover/service-key`) and pass it to `@pinion/prover-client`'s `servicePublicKey`.
 */
import { signFrame, type SignaturePurpose } from '@pinion/proofs'

/** Signs PNPF frames with the service key. */
export interface Signer {
  /** The Ed25519 public key auditors pin (32 bytes). */
  readonly publicKey: Uint8Array
  /** A signed envelope of `frame`. */
  sign(purpose: SignaturePurpose, frame: Uint8Array): Uint8Array
}

/** A signer over a 32-byte Ed25519 secret key. */
export function createSigner(secretKey: Uint8Array, publicKey: Uint8Array): Signer {
  return {
    publicKey,
    sign: (purpose, frame) => signFrame(secretKey, purpose, frame),
  }
}
