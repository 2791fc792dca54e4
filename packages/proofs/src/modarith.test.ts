import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  fixedBase,
  gcd,
  generateSafePrime,
  isProbablePrime,
  modInv,
  modPow,
  multiExp,
} from './modarith.js'
import { seededRandom } from '../test/helpers.js'

const naivePow = (b: bigint, e: bigint, m: bigint): bigint => {
  let r = 1n
  for (let i = 0n; i < e; i++) r = (r * b) % m
  return r
}

describe('modular arithmetic', () => {
  it('modPow agrees with repeated multiplication', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1n << 80n }),
        fc.bigInt({ min: 0n, max: 300n }),
        fc.bigInt({ min: 2n, max: 1n << 64n }),
        (b, e, m) => {
          expect(modPow(b, e, m)).toBe(naivePow(b, e, m))
        },
      ),
    )
  })

  it('multiExp and fixedBase agree with modPow', () => {
    const m = (1n << 127n) - 1n
    const table = fixedBase(5n, m, 300)
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.bigInt({ min: 1n, max: m - 1n }), fc.bigInt({ min: 0n, max: 1n << 200n })),
          { maxLength: 6 },
        ),
        (pairs) => {
          const expected = pairs.reduce((acc, [b, e]) => (acc * modPow(b, e, m)) % m, 1n)
          expect(
            multiExp(
              pairs.map((p) => p[0]),
              pairs.map((p) => p[1]),
              m,
            ),
          ).toBe(expected)
          for (const [, e] of pairs) expect(table(e)).toBe(modPow(5n, e, m))
        },
      ),
    )
  })

  it('modInv inverts and refuses non-units', () => {
    expect((modInv(17n, 3120n) * 17n) % 3120n).toBe(1n)
    expect(() => modInv(6n, 9n)).toThrow(RangeError)
    expect(gcd(12n, 18n)).toBe(6n)
  })

  it('Miller–Rabin tells primes from composites, including Carmichael numbers', () => {
    const random = seededRandom('mr')
    expect(isProbablePrime((1n << 127n) - 1n, random)).toBe(true)
    for (const c of [561n, 41041n, 825265n, (1n << 128n) + 1n])
      expect(isProbablePrime(c, random)).toBe(false)
  })

  it('the pure safe-prime search returns p with p and (p−1)/2 prime', () => {
    const random = seededRandom('safe')
    const p = generateSafePrime(96, random)
    expect(p.toString(2).length).toBe(96)
    expect(isProbablePrime(p, random) && isProbablePrime((p - 1n) / 2n, random)).toBe(true)
  })
})
