// bjo's bound (storage-proofs.md §7, §8.7): Q = 5 challenges verify, the sixth is refused, and an
// owner restarted from its persisted count continues where it stopped instead of reusing j = 1.
import { describe, expect, it } from 'vitest'
import { buildChallenge, prove } from './api.js'
import { bjoChallengeIndex } from './bjo.js'
import { ChallengesExhaustedError } from './errors.js'
import { createPrp } from './feistel.js'
import { protocolFixture } from '../test/helpers.js'
import fc from 'fast-check'

describe('bjo bounded use', () => {
  it('verifies Q challenges, refuses the next, also after a restart from the persisted count', async () => {
    const fx = await protocolFixture('bjo', [[200, 17]], 'bound')
    const audit = fx.audit([0])
    // The owner's store: the count is persisted before each challenge leaves (§7 "MUST").
    let persisted = 0
    const seen = new Set<number>()
    for (let i = 0; i < 5; i++) {
      const built = buildChallenge(audit, { c: 1, bjo: { used: persisted } })
      persisted = built.bjo!.used
      const { j } = bjoChallengeIndex(built.challenge)
      expect(seen.has(j)).toBe(false)
      seen.add(j)
      const proof = await prove(fx.key.proverSetup, fx.proverRoots(), built.challenge)
      expect(await built.validator.verify(built.challenge, proof)).toEqual({ ok: true })
    }
    expect([...seen]).toEqual([1, 2, 3, 4, 5])
    expect(() => buildChallenge(audit, { c: 1, bjo: { used: persisted } })).toThrow(
      ChallengesExhaustedError,
    )
    // "Restart": a new owner process knows only the persisted count.
    const restarted = { used: persisted }
    expect(() => buildChallenge(fx.audit([0]), { c: 1, bjo: restarted })).toThrow(
      ChallengesExhaustedError,
    )
  })

  it('a restarted owner continues at the next j, never at j = 1', async () => {
    const fx = await protocolFixture('bjo', [[120]], 'restart')
    const built = buildChallenge(fx.audit([0]), { c: 1, bjo: { used: 2 } })
    expect(bjoChallengeIndex(built.challenge).j).toBe(3)
    expect(built.bjo).toEqual({ used: 3 })
  })

  it('a proof for sentinel j does not verify for sentinel j + 1 (no replay)', async () => {
    const fx = await protocolFixture('bjo', [[120]], 'replay')
    const first = buildChallenge(fx.audit([0]), { c: 1, bjo: { used: 0 } })
    const proof = await prove(fx.key.proverSetup, fx.proverRoots(), first.challenge)
    const second = buildChallenge(fx.audit([0]), { c: 1, bjo: { used: 1 } })
    expect(await second.validator.verify(second.challenge, proof)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    })
  })

  it('refuses challenges over several roots', async () => {
    const fx = await protocolFixture('bjo', [[50], [60]], 'multi')
    expect(() => buildChallenge(fx.audit([0, 1]), { c: 1, bjo: { used: 0 } })).toThrow(RangeError)
  })
})

describe('Feistel PRP', () => {
  it('is a permutation of [0, x)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 700 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (x, key) => {
          const prp = createPrp(key, x)
          const out = new Set(Array.from({ length: x }, (_, i) => prp.apply(i)))
          expect(out.size).toBe(x)
          expect(Math.max(...out)).toBe(x - 1)
        },
      ),
      { numRuns: 30 },
    )
  })
})
