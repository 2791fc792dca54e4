/**
 * Audit a Pinion prover from anywhere (Node ≥ 20 or a browser): build a proof-of-storage challenge
 * from the key's `client_setup` and root descriptors, send it to `POST /prover/prove`, and verify the
 * answer locally. Nothing from the server is trusted beyond what is verified: pin the service's
 * Ed25519 key and the setup and descriptors must carry its signature.
 *
 * @example
 * ```ts
 * const auditor = createAuditor({ keyId, clientSetup, rootDescriptors, servicePublicKey })
 * const { challenge, validator } = auditor.buildChallenge({ c: 460 })
 * const proof = await postProve(keyId, roots, challenge) // your HTTP call
 * const result = await validator.verify(challenge, proof) // { ok: true } | { ok: false, reason }
 * ```
 */
export {
  createAuditor,
  type AuditChallenge,
  type Auditor,
  type AuditorInput,
  type AuditResult,
  type AuditValidator,
} from './auditor.js'
export { buildCompatChallenge } from './compat.js'
export { SetupError } from './errors.js'
export type { BytesInput } from './input.js'
export {
  ChallengesExhaustedError,
  type BjoAuditState,
  type CompatRoot,
  type ProtocolName,
} from '@pinion/proofs'
