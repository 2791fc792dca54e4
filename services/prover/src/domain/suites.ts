/**
 * The suites a key can be created with, by the names the API uses. The default of each protocol is
 * the spec's suite 1; sw-pub's `bn254-compat` speaks the original product's JSON wire
 * (storage-proofs.md §4.3) and is never a default.
 */
import { BadRequestError } from '@pinion/service-kit'
import type { ProtocolName } from '@pinion/proofs'

/** Suite byte of the bn254-compat suite (PNPF suite numbers ≥ 0x80 are extensions). */
export const COMPAT_SUITE = 0x80

const names: Record<ProtocolName, Record<string, number>> = {
  'sw-priv': { p25519: 1 },
  'sw-pub': { 'bls12-381': 1, 'bn254-compat': COMPAT_SUITE },
  ateniese: { 'rsa-3072': 1, 'rsa-2048': 2 },
  erway: { 'rsa-3072': 1, 'rsa-2048': 2 },
  bjo: { 'p25519-rs255': 1 },
}

/**
 * The suite byte for a request's `suite` name (undefined → the protocol's suite 1).
 *
 * @throws BadRequestError naming the suites the protocol has.
 */
export function suiteByName(protocol: ProtocolName, name: string | undefined): number {
  if (name === undefined) return 1
  const suite = names[protocol][name]
  if (suite === undefined)
    throw new BadRequestError(
      `unknown suite "${name}" for ${protocol}; choose one of ${Object.keys(names[protocol]).join(', ')}`,
    )
  return suite
}

/** The API name of a key's suite. */
export function suiteName(protocol: string, suite: number): string {
  const entry = Object.entries(names[protocol as ProtocolName] ?? {}).find(([, n]) => n === suite)
  return entry?.[0] ?? String(suite)
}
