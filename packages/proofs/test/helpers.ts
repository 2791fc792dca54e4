// Builders for proof tests: CID-shaped values without a multiformats dependency, deterministic
// byte streams, and a one-call "tag a DAG" harness shared by the unit and property tests.
import { sha256 } from '@noble/hashes/sha2.js'
import { chacha20 } from '@noble/ciphers/chacha.js'
import type { BlockInput, CidLike } from '../src/chunks.js'

/** A CIDv1-shaped value (raw codec, sha2-256) for `bytes`; its string is the hex of its bytes. */
export function fakeCid(bytes: Uint8Array): CidLike {
  const cid = new Uint8Array([0x01, 0x55, 0x12, 0x20, ...sha256(bytes)])
  const s = 'f' + Array.from(cid, (b) => b.toString(16).padStart(2, '0')).join('')
  return { bytes: cid, toString: () => s }
}

/** Deterministic pseudo-random bytes from a seed label (ChaCha20 keystream). */
export function seededBytes(label: string, length: number): Uint8Array {
  const key = sha256(new TextEncoder().encode(label))
  return chacha20(key, new Uint8Array(12), new Uint8Array(length))
}

/** A deterministic CSPRNG stand-in for known-answer vectors: each call draws the next bytes. */
export function seededRandom(label: string): (n: number) => Uint8Array {
  let counter = 0
  return (n) => seededBytes(`${label}/${counter++}`, n)
}

/** A DAG of blocks with the given sizes; the first block doubles as the root. */
export function makeDag(label: string, sizes: readonly number[]): { root: CidLike; blocks: BlockInput[] } {
  const blocks = sizes.map((size, i) => {
    const bytes = seededBytes(`${label}/block/${i}`, size)
    // Distinct CIDs even for equal contents: mix the index into the hashed preimage.
    return { cid: fakeCid(new Uint8Array([...bytes, i & 0xff, i >> 8])), bytes }
  })
  return { root: blocks[0]!.cid, blocks }
}

import primes from './vectors/safe-primes.json' with { type: 'json' }

/**
 * A `safePrime` generator that hands out the frozen test primes in order (suite 2 uses the 1024-bit
 * pair, suite 1 the 1536-bit ones; `offset` picks another pair for a second key).
 */
export function frozenSafePrimes(offset = 0): (bits: number) => bigint {
  let next = offset * 2
  return (bits) => {
    const pool = bits === 1024 ? primes.bits1024 : bits === 1536 ? primes.bits1536 : []
    const hex = pool[next++ % pool.length]
    if (!hex) throw new RangeError(`no frozen safe prime of ${bits} bits`)
    return BigInt('0x' + hex)
  }
}
