// The heavier part of storage-proofs.md §8 (vitest project "integration": `pnpm test:integration`;
// no external services): the honest-proof grid over n, c and root count (§8.3), and the statistical
// detection rate of one corrupted chunk under random challenges with c < n (§8.4b).
import { describe, expect, it } from 'vitest'
import { protocolFixture, PROTOCOLS } from './helpers.js'
import type { ProtocolName } from '../src/frame.js'

// Chunk sizes, so DAG sizes can be expressed in chunks.
const Z: Record<ProtocolName, number> = {
  'sw-priv': 124,
  'sw-pub': 124,
  ateniese: 8192,
  erway: 8192,
  bjo: 31,
}
// n = 1000 only where tagging 1000 chunks is cheap (sw-priv, bjo).
const NS: Record<ProtocolName, number[]> = {
  'sw-priv': [1, 2, 7, 1000],
  'sw-pub': [1, 2, 7],
  ateniese: [1, 2, 7],
  erway: [1, 2, 7],
  bjo: [1, 2, 7, 1000],
}

describe.each(PROTOCOLS)('%s grid', (protocol) => {
  it.each(NS[protocol])(
    'n = %i chunks per root: honest proofs verify for c ∈ {1, min(20, n), n}',
    async (n) => {
      const roots = protocol === 'bjo' ? 1 : 3
      // Exactly n chunks: T = nZ for the first root (T a multiple of Z), T = 1 byte when n = 1.
      const sizes = Array.from({ length: roots }, (_, r) =>
        n === 1 && r === 1 ? [1] : [n * Z[protocol] - (r === 2 ? 5 : 0)],
      )
      const fx = await protocolFixture(protocol, sizes, `grid-${n}`)
      const order = fx.roots.map((_, i) => i)
      const total = fx.roots.reduce((a, r) => a + r.tagged.manifest.chunkCount, 0)
      for (const c of new Set([1, Math.min(20, total), total])) {
        const { verify } = await fx.round(order, { c, bjoUsed: 0 })
        expect(await verify()).toEqual({ ok: true })
      }
    },
    300_000,
  )
})

describe('statistical detection (sw-priv)', () => {
  it('fails at the rate c/n when one of n chunks is corrupt', async () => {
    const n = 40
    const c = 8
    const rounds = 600
    const fx = await protocolFixture('sw-priv', [[n * Z['sw-priv']]], 'stat')
    let failures = 0
    for (let i = 0; i < rounds; i++) {
      const { verify } = await fx.round([0], { c, corrupt: { root: 0, chunk: 13 } })
      if (!(await verify()).ok) failures++
    }
    // Expected c/n = 0.2; a 99.9 % binomial interval for 600 trials is about ±0.054.
    const rate = failures / rounds
    expect(rate).toBeGreaterThan(0.2 - 0.054)
    expect(rate).toBeLessThan(0.2 + 0.054)
  }, 300_000)
})
