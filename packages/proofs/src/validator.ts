/**
 * The one way every protocol turns a proof check into a {@link VerifyResult}: the challenge must be
 * the one the validator built, and malformed frames become `malformed`, never exceptions.
 */
import { bytesEqual } from './bytes.js'
import { ProofFormatError } from './errors.js'
import type { Validator, VerifyResult } from './types.js'

/** A failed result with a reason and a human detail. */
export function fail(
  reason: 'mismatch' | 'malformed' | 'untrusted-setup',
  detail: string,
): VerifyResult {
  return { ok: false, reason, detail }
}

/** The accepting result. */
export const OK: VerifyResult = Object.freeze({ ok: true })

/** Wraps a proof check as a {@link Validator} for `challenge`. */
export function createValidator(
  challenge: Uint8Array,
  check: (proof: Uint8Array) => VerifyResult | Promise<VerifyResult>,
): Validator {
  const own = challenge.slice()
  return {
    challenge: own,
    async verify(ch, proof) {
      if (!(ch instanceof Uint8Array) || !(proof instanceof Uint8Array))
        return fail('malformed', 'challenge and proof must be bytes')
      if (!bytesEqual(ch, own))
        return fail('mismatch', 'not the challenge this validator was built for')
      try {
        return await check(proof)
      } catch (e) {
        if (e instanceof ProofFormatError) return fail('malformed', e.message)
        throw e
      }
    },
  }
}
