/**
 * Auditing a server with the original product's sw-pub wire format (BN254, JSON; storage-proofs.md
 * §4.3). The setup is checked structurally only: that format has no signatures.
 */
import {
  compatBuildChallenge,
  compatVerify,
  parseCompatSetup,
  ProofFormatError,
  type CompatRoot,
  type RandomBytes,
} from '@pinion/proofs'
import { SetupError } from './errors.js'
import { toBytes, type BytesInput } from './input.js'
import type { AuditChallenge } from './auditor.js'

/**
 * Builds a compat challenge and validator from the original's `client_setup` JSON (bytes or
 * base64) and the roots' CID bytes with their `block_count`s, in order.
 *
 * @throws {@link SetupError} (`malformed`) for an invalid setup; RangeError for a bad c.
 */
export function buildCompatChallenge(
  clientSetup: BytesInput,
  roots: readonly CompatRoot[],
  c: number,
  opts: { random?: RandomBytes } = {},
): AuditChallenge {
  const setup = toBytes(clientSetup, 'client_setup')
  try {
    parseCompatSetup(setup)
  } catch (e) {
    if (e instanceof ProofFormatError) throw new SetupError('malformed', e.message, { cause: e })
    throw e
  }
  const challenge = compatBuildChallenge(roots, c, opts)
  return {
    challenge,
    validator: {
      async verify(ch, proof) {
        if (ch.length !== challenge.length || ch.some((b, i) => b !== challenge[i]))
          return { ok: false, reason: 'mismatch' }
        const r = compatVerify(setup, roots, ch, proof)
        return r.ok ? { ok: true } : { ok: false, reason: r.reason }
      },
    },
  }
}
