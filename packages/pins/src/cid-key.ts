/**
 * CIDs as clients send them and as Pinion compares them. `pin.cid` is returned exactly as
 * submitted; filters and reference counts use the key: CIDv1 base32 of the same multihash and codec
 * (a v0 CID becomes its dag-pb v1), so `Qm…` and `bafy…` of one DAG are the same pin target.
 */
import { CID } from 'multiformats/cid'

/** Longest CID string accepted (a sha2-512 CIDv1 in base32 is ~110 characters). */
export const maxCidLength = 512

/**
 * The reference-count key of `cid`, or `undefined` when it is not a CID this service accepts:
 * base58btc (v0), base32 or base36 (v1), i.e. the encodings every IPFS tool emits, all of them
 * alphanumeric so they travel unchanged in message payloads and query strings.
 */
export function cidKeyOf(cid: string): string | undefined {
  if (cid.length === 0 || cid.length > maxCidLength || !/^[A-Za-z0-9]+$/.test(cid)) return undefined
  try {
    return CID.parse(cid).toV1().toString()
  } catch {
    return undefined
  }
}
