// PNPF v1 strictness (storage-proofs.md §2.5, §8.5): canonical field order, critical vs extension
// fields, truncation, version, limits, and the value types' canonical encodings.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeFrame, encodeFrame, FrameKind, MAX_FRAME_BYTES } from './frame.js'
import { ProofFormatError } from './errors.js'
import { readFe, readInt, readList, readRsa, writeInt, writeList } from './values.js'

const expect1 = { kind: FrameKind.proof, protocol: 1, known: [1, 2] } as const
const sample = (): Uint8Array =>
  encodeFrame(FrameKind.proof, 1, 1, [
    [2, new Uint8Array([9, 9])],
    [1, new Uint8Array([1])],
  ])

describe('PNPF frames', () => {
  it('round-trips fields in ascending order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 255 }), { maxLength: 8 }),
        fc.uint8Array({ maxLength: 40 }),
        (nos, value) => {
          const bytes = encodeFrame(
            FrameKind.tagBatch,
            3,
            2,
            nos.map((n) => [n, value] as const),
          )
          const f = decodeFrame(bytes, {
            kind: FrameKind.tagBatch,
            known: nos.filter((n) => n < 0x80),
            required: [],
          })
          expect([...f.fields.keys()]).toEqual([...nos].sort((a, b) => a - b))
          expect(f.suite).toBe(2)
        },
      ),
    )
  })

  it('rejects every strict prefix and any trailing byte', () => {
    const bytes = sample()
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(() => decodeFrame(bytes.subarray(0, cut), expect1)).toThrow(ProofFormatError)
    }
    expect(() => decodeFrame(new Uint8Array([...bytes, 0]), expect1)).toThrow(ProofFormatError)
  })

  it('rejects a bad magic, version, kind or protocol', () => {
    for (const [at, value] of [
      [0, 0x51],
      [4, 0x02],
      [5, FrameKind.challenge],
      [6, 2],
    ] as const) {
      const bytes = sample()
      bytes[at] = value
      expect(() => decodeFrame(bytes, expect1)).toThrow(ProofFormatError)
    }
  })

  it('rejects unknown critical fields but skips extensions', () => {
    const critical = encodeFrame(FrameKind.proof, 1, 1, [
      [1, new Uint8Array(1)],
      [2, new Uint8Array(1)],
      [3, new Uint8Array(1)],
    ])
    expect(() => decodeFrame(critical, expect1)).toThrow(/unknown critical field/)
    const extension = encodeFrame(FrameKind.proof, 1, 1, [
      [1, new Uint8Array(1)],
      [2, new Uint8Array(1)],
      [0x80, new Uint8Array(1)],
    ])
    expect(decodeFrame(extension, expect1).fields.size).toBe(3)
  })

  it('rejects repeated or descending fields and missing required ones', () => {
    const ok = sample()
    // Swap the two fields by hand: field 2 first.
    const swapped = new Uint8Array([...ok.subarray(0, 8), 2, 0, 0, 0, 2, 9, 9, 1, 0, 0, 0, 1, 1])
    expect(() => decodeFrame(swapped, expect1)).toThrow(/out of order/)
    const repeated = new Uint8Array([...ok.subarray(0, 8), 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1])
    expect(() => decodeFrame(repeated, expect1)).toThrow(/out of order or repeated/)
    const missing = encodeFrame(FrameKind.proof, 1, 1, [[1, new Uint8Array(1)]])
    expect(() => decodeFrame(missing, expect1)).toThrow(/missing field/)
  })

  it('enforces the 16 MiB limit on both sides', () => {
    expect(() =>
      encodeFrame(FrameKind.proof, 1, 1, [[1, new Uint8Array(MAX_FRAME_BYTES)]]),
    ).toThrow(RangeError)
    expect(() => decodeFrame(new Uint8Array(MAX_FRAME_BYTES + 1), expect1)).toThrow(
      ProofFormatError,
    )
  })

  it('throws TypeError for non-bytes', () => {
    expect(() => decodeFrame('PNPF' as never, expect1)).toThrow(TypeError)
  })
})

describe('value types', () => {
  it('fe: exact width and canonical (< modulus)', () => {
    expect(readFe(new Uint8Array([0, 6]), 2, 7n, 'x')).toBe(6n)
    expect(() => readFe(new Uint8Array([0, 7]), 2, 7n, 'x')).toThrow(/canonical/)
    expect(() => readFe(new Uint8Array([6]), 2, 7n, 'x')).toThrow(ProofFormatError)
  })

  it('int: minimal encoding, zero as 0x00, bounded bits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 300n }), (x) => {
        expect(readInt(writeInt(x), 301, 'x')).toBe(x)
      }),
    )
    expect(() => readInt(new Uint8Array([0, 1]), 64, 'x')).toThrow(/non-minimal/)
    expect(() => readInt(new Uint8Array(0), 64, 'x')).toThrow(ProofFormatError)
    expect(() => readInt(writeInt(1n << 64n), 64, 'x')).toThrow(ProofFormatError)
  })

  it('rsa: exact width, value in [1, N)', () => {
    expect(() => readRsa(new Uint8Array([0, 0]), 300n, 2, 'x')).toThrow(ProofFormatError)
    expect(() => readRsa(new Uint8Array([1, 44]), 300n, 2, 'x')).toThrow(ProofFormatError)
    expect(readRsa(new Uint8Array([1, 43]), 300n, 2, 'x')).toBe(299n)
  })

  it('list: count limit and exact length', () => {
    const list = writeList([new Uint8Array([1]), new Uint8Array([2, 3])])
    expect(readList(list, 2, 'l').length).toBe(2)
    expect(() => readList(list, 1, 'l')).toThrow(/exceed/)
    expect(() => readList(list.subarray(0, list.length - 1), 2, 'l')).toThrow(ProofFormatError)
    expect(() => readList(new Uint8Array([...list, 0]), 2, 'l')).toThrow(/trailing/)
  })
})
