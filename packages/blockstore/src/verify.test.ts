import { createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as Digest from 'multiformats/hashes/digest'
import { identity } from 'multiformats/hashes/identity'
import { describe, expect, it } from 'vitest'
import { InvalidCarError } from './errors.js'
import { verifyBlock } from './verify.js'

function codeOf(run: () => void): string | undefined {
  try {
    run()
    return undefined
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCarError)
    return (error as InvalidCarError).code
  }
}

describe('verifyBlock', () => {
  const bytes = new TextEncoder().encode('pinion')

  it('accepts sha2-256, sha2-512 and identity blocks that match', () => {
    for (const [code, algorithm] of [
      [0x12, 'sha256'],
      [0x13, 'sha512'],
    ] as const) {
      const digest = createHash(algorithm).update(bytes).digest()
      expect(
        codeOf(() => verifyBlock(CID.createV1(raw.code, Digest.create(code, digest)), bytes)),
      ).toBeUndefined()
    }
    expect(
      codeOf(() => verifyBlock(CID.createV1(raw.code, identity.digest(bytes)), bytes)),
    ).toBeUndefined()
  })

  it('refuses mismatches, unknown hashes, oversized blocks and oversized identity digests', () => {
    const sha = CID.createV1(
      raw.code,
      Digest.create(0x12, createHash('sha256').update(bytes).digest()),
    )
    expect(codeOf(() => verifyBlock(sha, new TextEncoder().encode('pinioN')))).toBe('HASH_MISMATCH')
    const truncated = CID.createV1(raw.code, Digest.create(0x12, new Uint8Array(20)))
    expect(codeOf(() => verifyBlock(truncated, bytes))).toBe('HASH_MISMATCH')
    const blake3 = CID.createV1(raw.code, Digest.create(0x1e, new Uint8Array(32)))
    expect(codeOf(() => verifyBlock(blake3, bytes))).toBe('UNSUPPORTED_HASH')
    expect(codeOf(() => verifyBlock(sha, bytes, 3))).toBe('BLOCK_TOO_LARGE')
    const big = new Uint8Array(129)
    expect(codeOf(() => verifyBlock(CID.createV1(raw.code, identity.digest(big)), big))).toBe(
      'BLOCK_TOO_LARGE',
    )
  })
})
