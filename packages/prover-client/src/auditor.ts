/**
 * An auditor for one key: it checks the setup and the root descriptors once (structure, and the
 * service signatures when a pinned key is given), then builds challenges whose validators verify
 * proofs with nothing but that checked material.
 */
import {
  asFrame,
  buildChallenge as build,
  ChallengesExhaustedError,
  decodeDescriptor,
  frameProtocol,
  openEnvelope,
  ProofFormatError,
  SignatureError,
  type AuditMaterial,
  type BjoAuditState,
  type Descriptor,
  type OwnerSecret,
  type ProtocolName,
  type RandomBytes,
  type RootDescriptor,
  type VerifyResult,
} from '@pinion/proofs'
import { SetupError } from './errors.js'
import { keyIdBytes, toBytes, type BytesInput } from './input.js'

/** What the auditor is built from: the key's `client_setup` and the descriptors of its roots. */
export interface AuditorInput {
  /** The key id of `POST /challenge-key`. */
  readonly keyId: Uint8Array | string
  /** `client_setup`: a public-setup frame, or a signed envelope of one when `servicePublicKey` is set. */
  readonly clientSetup: BytesInput
  /** `owner_secret` for sw-priv, ateniese and bjo (never sent back to the server). */
  readonly ownerSecret?: BytesInput
  /** `root_descriptor`s in the order the challenge should name the roots (signed envelopes when pinned). */
  readonly rootDescriptors: readonly BytesInput[]
  /**
   * The service's Ed25519 public key, pinned out of band. When given, the setup and every
   * descriptor must be signed by it (storage-proofs.md §2.8); strongly recommended.
   */
  readonly servicePublicKey?: Uint8Array
  /**
   * `block_ids` per root, as `/tag` returned them. Informational only: challenges address chunks,
   * whose counts come from the (signed) descriptors.
   */
  readonly blockIds?: readonly (readonly string[])[]
}

/** The result of a verification: `reason` is `mismatch`, `malformed` or `untrusted-setup`. */
export type AuditResult = { readonly ok: true } | { readonly ok: false; readonly reason: string }

/** Checks one proof for the challenge it was built with. */
export interface AuditValidator {
  /** Verifies `proof` for `challenge`; never throws for bad input. */
  verify(challenge: Uint8Array, proof: Uint8Array): Promise<AuditResult>
}

/** A challenge to send to `POST /prover/prove`, with its validator. */
export interface AuditChallenge {
  /** The challenge frame (send as base64 in the `challenge` JSON field). */
  readonly challenge: Uint8Array
  readonly validator: AuditValidator
  /** bjo: the state to persist *before* sending the challenge. */
  readonly bjoState?: BjoAuditState
}

/** A checked key, ready to build challenges. */
export interface Auditor {
  readonly protocol: ProtocolName
  /** The descriptors as verified, in challenge order. */
  readonly roots: readonly Descriptor[]
  /**
   * Builds a challenge over the roots.
   *
   * @param c chunks to challenge (1 ≤ c ≤ min(n, 100 000)); bjo ignores it (V is fixed per key).
   * @throws RangeError on a bad c; {@link ChallengesExhaustedError} when a bjo root is used up.
   */
  buildChallenge(opts: {
    c: number
    bjoState?: BjoAuditState
    random?: RandomBytes
  }): AuditChallenge
}

function unwrap(
  bytes: Uint8Array,
  key: Uint8Array | undefined,
  purpose: 'setup' | 'root',
): Uint8Array {
  return key ? openEnvelope(bytes, key, purpose) : bytes
}

/**
 * Checks the setup and descriptors and returns an {@link Auditor}.
 *
 * @throws {@link SetupError} with reason `untrusted-setup` (bad signature, tampered setup, a descriptor
 *   of another key or protocol) or `malformed` (undecodable input).
 */
export function createAuditor(input: AuditorInput): Auditor {
  try {
    const keyId = keyIdBytes(input.keyId)
    const publicSetup = asFrame(
      'publicSetup',
      unwrap(toBytes(input.clientSetup, 'client_setup'), input.servicePublicKey, 'setup'),
    )
    const protocol = frameProtocol(publicSetup)
    const descriptorFrames = input.rootDescriptors.map((d) =>
      asFrame(
        'rootDescriptor',
        unwrap(toBytes(d, 'root_descriptor'), input.servicePublicKey, 'root'),
      ),
    ) as RootDescriptor[]
    if (descriptorFrames.length === 0)
      throw new ProofFormatError('at least one root descriptor is needed')
    const roots = descriptorFrames.map((d) => decodeDescriptor(d, protocol, keyId))
    if (input.blockIds && input.blockIds.length !== roots.length)
      throw new ProofFormatError('block_ids must be given per root')
    const ownerSecret =
      input.ownerSecret === undefined
        ? undefined
        : (asFrame('ownerSecret', toBytes(input.ownerSecret, 'owner_secret')) as OwnerSecret)
    const audit: AuditMaterial = {
      keyId,
      publicSetup,
      descriptors: descriptorFrames,
      ...(ownerSecret ? { ownerSecret } : {}),
    }
    // Build (and discard) one challenge now so every structural check of the setup runs up front.
    build(audit, { c: 1, bjo: { used: 0 } })
    return {
      protocol,
      roots,
      buildChallenge(opts) {
        const built = build(audit, {
          c: opts.c,
          ...(opts.random ? { random: opts.random } : {}),
          ...(opts.bjoState ? { bjo: opts.bjoState } : {}),
        })
        return {
          challenge: built.challenge,
          validator: {
            verify: async (challenge, proof) =>
              simplify(await built.validator.verify(challenge, proof)),
          },
          ...(built.bjo ? { bjoState: built.bjo } : {}),
        }
      },
    }
  } catch (e) {
    if (e instanceof SignatureError)
      throw new SetupError('untrusted-setup', e.message, { cause: e })
    if (e instanceof ChallengesExhaustedError)
      throw new SetupError('untrusted-setup', 'setup has no sentinel left', { cause: e })
    if (e instanceof ProofFormatError || e instanceof TypeError) {
      const tampered = /tampered|another key|protocol|signature/.test(e.message)
      throw new SetupError(tampered ? 'untrusted-setup' : 'malformed', e.message, { cause: e })
    }
    throw e
  }
}

function simplify(result: VerifyResult): AuditResult {
  return result.ok ? { ok: true } : { ok: false, reason: result.reason }
}
