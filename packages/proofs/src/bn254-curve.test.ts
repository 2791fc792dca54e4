import { describe, expect, it } from 'vitest'
import { hashToG1Bn } from './bn254-curve.js'
import vectors from '../test/vectors/bn254-hash-to-g1.json' with { type: 'json' }

describe('BN254 hash_to_curve (SVDW, Z = 1)', () => {
  it.each(vectors.cases)('matches the published vector for msg "$msg"', ({ msg, x, y }) => {
    const p = hashToG1Bn(new TextEncoder().encode(msg), vectors.dst).toAffine()
    expect(p.x.toString(16)).toBe(x.replace(/^0x0*/, ''))
    expect(p.y.toString(16)).toBe(y.replace(/^0x0*/, ''))
  })
})
