import { describe, expect, it } from 'vitest'
import { chunkedByteReader } from './byte-reader.js'

async function* chunks(...parts: number[][]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Uint8Array.from(part)
}

describe('chunkedByteReader', () => {
  it('returns views within a chunk and one copy across chunks, tracking pos', async () => {
    const source = [[1, 2, 3], [], [4, 5], [6, 7, 8, 9]]
    const reader = chunkedByteReader(chunks(...source))
    expect([...(await reader.upTo(2))]).toEqual([1, 2])
    expect(reader.pos).toBe(0)
    expect([...(await reader.exactly(2, true))]).toEqual([1, 2])
    expect([...(await reader.exactly(4, true))]).toEqual([3, 4, 5, 6])
    expect(reader.pos).toBe(6)
    expect([...(await reader.upTo(10))]).toEqual([7, 8, 9])
    await expect(reader.exactly(4)).rejects.toThrow('Unexpected end of data')
  })

  it('seeks forward past chunks that have not arrived yet', async () => {
    const reader = chunkedByteReader(chunks([1, 2], [3, 4, 5], [6, 7]))
    await reader.upTo(1)
    reader.seek(4)
    expect(reader.pos).toBe(4)
    expect([...(await reader.exactly(3, true))]).toEqual([5, 6, 7])
    expect((await reader.upTo(8)).length).toBe(0)
  })
})
