/**
 * The spec's hash vocabulary (storage-proofs.md §2.1): `H`, `HMAC`, the labels `L(proto, purpose)`,
 * `PRF`, `Wide`, plus MGF1 for ateniese's hash to QR_N (§5).
 */
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concat, lp, os2ip, u32, utf8 } from './bytes.js'

/** `H` = SHA-256. */
export function H(...parts: Uint8Array[]): Uint8Array {
  return sha256(concat(...parts))
}

/** `HMAC(k, m)` = HMAC-SHA256. */
export function HMAC(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  return hmac(sha256, key, concat(...parts))
}

/** `L(proto, purpose)` = `"pinion/v1/" ‖ proto ‖ "/" ‖ purpose` as bytes. */
export function label(proto: string, purpose: string): Uint8Array {
  return utf8(`pinion/v1/${proto}/${purpose}`)
}

/** `PRF(k, label, x) = HMAC(k, LP(label) ‖ x)`; a string label is taken as its ASCII bytes. */
export function PRF(key: Uint8Array, lab: Uint8Array | string, x: Uint8Array): Uint8Array {
  return HMAC(key, lp(typeof lab === 'string' ? utf8(lab) : lab), x)
}

/**
 * `PRF(k, label, ·)` with the HMAC key schedule done once: each call clones the keyed state, which
 * halves the compressions for the short inputs of bjo's Feistel rounds.
 */
export function keyedPrf(key: Uint8Array, lab: string): (x: Uint8Array) => Uint8Array {
  const base = hmac.create(sha256, key).update(lp(utf8(lab)))
  return (x) => base.clone().update(x).digest()
}

/** `Wide(k, label, x) = PRF(k, label, x ‖ 0x01) ‖ PRF(k, label, x ‖ 0x02)`, 64 bytes. */
export function wide(key: Uint8Array, lab: Uint8Array | string, x: Uint8Array): Uint8Array {
  return concat(
    PRF(key, lab, concat(x, Uint8Array.of(1))),
    PRF(key, lab, concat(x, Uint8Array.of(2))),
  )
}

/** `OS2IP(Wide(k, label, x)) mod q`: bias < 2^-128 for q < 2^384 (§2.1). */
export function wideMod(
  key: Uint8Array,
  lab: Uint8Array | string,
  x: Uint8Array,
  q: bigint,
): bigint {
  return os2ip(wide(key, lab, x)) % q
}

/** MGF1 with SHA-256 (RFC 8017 B.2.1): `H(seed ‖ u32(0)) ‖ H(seed ‖ u32(1)) ‖ …` cut to `length`. */
export function mgf1(seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let counter = 0, at = 0; at < length; counter++, at += 32) {
    const block = sha256(concat(seed, u32(counter)))
    out.set(block.subarray(0, Math.min(32, length - at)), at)
  }
  return out
}
