/**
 * The typed errors `@pinion/proofs` throws at its boundary (STYLE §4: `TypeError`/`RangeError`, never a
 * partial result). A failed verification is not an error: verifiers return `{ ok: false, reason }`.
 */

/**
 * A frame or field that is not well formed: truncated, oversized, a wrong version, kind or protocol, a
 * non-canonical field element, a point off the curve, an unknown critical field. API layers report it
 * as `malformed` (storage-proofs.md §8.5), never as `mismatch`.
 */
export class ProofFormatError extends RangeError {
  override readonly name = 'ProofFormatError'
}

/**
 * bjo: every sentinel of a root has been used (storage-proofs.md §7 "Bounded use"). The only way on is
 * re-encoding the root with fresh keys and sentinels.
 */
export class ChallengesExhaustedError extends RangeError {
  override readonly name = 'ChallengesExhaustedError'
}

/** Throws a {@link ProofFormatError} unless `ok`; the message names what was expected. */
export function ensureFormat(ok: boolean, message: string): asserts ok {
  if (!ok) throw new ProofFormatError(message)
}
