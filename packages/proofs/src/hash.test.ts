// Library sanity (storage-proofs.md §8.2): HMAC-SHA256 against RFC 4231, MGF1 and Wide against
// their definitions computed with an independent implementation (node:crypto).
import { createHash, createHmac } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { concat, lp, toHex, u32, utf8 } from './bytes.js'
import { HMAC, label, mgf1, PRF, wide } from './hash.js'

describe('hash vocabulary', () => {
  it('HMAC matches RFC 4231 test case 2', () => {
    expect(toHex(HMAC(utf8('Jefe'), utf8('what do ya want for nothing?')))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    )
  })

  it('MGF1-SHA256 matches its RFC 8017 definition', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 0, max: 200 }),
        (seed, len) => {
          const blocks: Buffer[] = []
          for (let c = 0; 32 * c < len; c++)
            blocks.push(
              createHash('sha256')
                .update(concat(seed, u32(c)))
                .digest(),
            )
          expect(toHex(mgf1(seed, len))).toBe(
            Buffer.concat(blocks).subarray(0, len).toString('hex'),
          )
        },
      ),
    )
  })

  it('PRF and Wide follow §2.1', () => {
    const k = new Uint8Array(32).fill(3)
    const x = utf8('x')
    const prf = (m: Uint8Array) =>
      createHmac('sha256', k)
        .update(concat(lp(utf8('lab')), m))
        .digest('hex')
    expect(toHex(PRF(k, 'lab', x))).toBe(prf(x))
    expect(toHex(wide(k, 'lab', x))).toBe(
      prf(concat(x, Uint8Array.of(1))) + prf(concat(x, Uint8Array.of(2))),
    )
    expect(new TextDecoder().decode(label('bjo', 'seal'))).toBe('pinion/v1/bjo/seal')
  })
})
