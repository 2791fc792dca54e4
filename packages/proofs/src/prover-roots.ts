/**
 * Matches a challenge's ordered root list to what the prover stores, so every protocol's `prove`
 * refuses a challenge whose key, roots or counts differ from its descriptors (§8.6 binding).
 */
import { bytesEqual, toHex } from './bytes.js'
import type { ChallengeCommon } from './challenge.js'
import { decodeDescriptor, type Descriptor } from './descriptor.js'
import { ensureFormat } from './errors.js'
import type { ProtocolName } from './frame.js'
import type { ProverRoot } from './types.js'

/** A prover root with its decoded descriptor. */
export interface ResolvedRoot extends ProverRoot {
  readonly decoded: Descriptor
}

/**
 * Returns the prover's roots in challenge order.
 *
 * @throws {@link ProofFormatError} if a challenged root is missing, belongs to another key, or its
 *   count differs from the challenge.
 */
export function resolveProverRoots(
  protocol: ProtocolName,
  common: ChallengeCommon,
  roots: readonly ProverRoot[],
): ResolvedRoot[] {
  const byRoot = new Map<string, ResolvedRoot>()
  for (const r of roots) {
    const decoded = decodeDescriptor(r.descriptor, protocol, common.keyId)
    byRoot.set(toHex(decoded.root), { ...r, decoded })
  }
  return common.roots.map((cr) => {
    const r = byRoot.get(toHex(cr.cid))
    ensureFormat(r !== undefined, 'challenge names a root the prover does not hold')
    ensureFormat(bytesEqual(r.decoded.root, cr.cid), 'root mismatch')
    ensureFormat(r.decoded.chunkCount === cr.count, 'challenge count differs from the descriptor')
    return r
  })
}
