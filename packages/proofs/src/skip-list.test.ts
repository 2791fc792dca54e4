// erway's authenticated skip list (storage-proofs.md §6, §8.5, §8.8): every leaf's path leads to the
// basis at its own index, and any change to a tag, rank, level, direction or sibling breaks it.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildSkipList, decodePath, encodePath, towerHeight, verifyPath } from './skip-list.js'
import { ProofFormatError } from './errors.js'

const keyId = new Uint8Array([7])
const root = new Uint8Array([1, 2, 3])
const tagsOf = (n: number) =>
  Array.from({ length: n }, (_, i) => new Uint8Array([i & 0xff, i >> 8, 42]))

describe('rank-based skip list', () => {
  it('every leaf verifies at its index and no other', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 150 }), fc.nat(), (n, pick) => {
        const tags = tagsOf(n)
        const list = buildSkipList(keyId, root, tags)
        const i = pick % n
        const path = decodePath(encodePath(list.path(i)))
        expect(verifyPath(tags[i]!, path, i, n, list.basis)).toBe(true)
        if (n > 1) expect(verifyPath(tags[i]!, path, (i + 1) % n, n, list.basis)).toBe(false)
        expect(
          verifyPath(
            tags[(i + 1) % n]!.map((b) => b ^ 1),
            path,
            i,
            n,
            list.basis,
          ),
        ).toBe(false)
        expect(verifyPath(tags[i]!, path, i, n + 1, list.basis)).toBe(false)
      }),
      { numRuns: 40 },
    )
  })

  it('any flipped bit of a path breaks it', () => {
    const tags = tagsOf(60)
    const list = buildSkipList(keyId, root, tags)
    const encoded = encodePath(list.path(37))
    fc.assert(
      fc.property(fc.nat({ max: encoded.length * 8 - 1 }), (bit) => {
        const bad = encoded.slice()
        bad[bit >> 3]! ^= 1 << (bit & 7)
        let ok: boolean
        try {
          ok = verifyPath(tags[37]!, decodePath(bad), 37, 60, list.basis)
        } catch (e) {
          expect(e).toBeInstanceOf(ProofFormatError)
          ok = false
        }
        expect(ok).toBe(false)
      }),
    )
  })

  it('the basis depends on every tag, the key and the root', () => {
    const tags = tagsOf(20)
    const basis = buildSkipList(keyId, root, tags).basis
    const changed = tags.map((t, i) => (i === 13 ? t.map((b) => b ^ 0x80) : t))
    expect(buildSkipList(keyId, root, changed).basis).not.toEqual(basis)
    expect(buildSkipList(new Uint8Array([8]), root, tags).basis).not.toEqual(basis)
    expect(buildSkipList(keyId, new Uint8Array([9]), tags).basis).not.toEqual(basis)
    expect(buildSkipList(keyId, root, tags).basis).toEqual(basis)
  })

  it('tower heights are deterministic and at least 1', () => {
    const hs = Array.from({ length: 200 }, (_, i) => towerHeight(keyId, root, i + 1))
    expect(hs.every((h) => h >= 1 && h <= 9)).toBe(true)
    expect(hs.filter((h) => h > 1).length).toBeGreaterThan(50)
    expect(towerHeight(keyId, root, 5)).toBe(hs[4])
  })
})
