import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import type { Block } from './blockstore.js'
import { readCar } from './car-reader.js'
import { InvalidCarError } from './errors.js'
import { carBytes as car } from '../test/helpers/fixtures.js'

async function block(text: string): Promise<Block> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

async function readAll(bytes: Uint8Array): Promise<{ roots: CID[]; blocks: Block[] }> {
  const stream = await readCar([bytes])
  const blocks: Block[] = []
  for await (const b of stream.blocks) blocks.push(b)
  return { roots: stream.roots, blocks }
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(InvalidCarError)
  return (error as InvalidCarError).code
}

/** A CARv2 wrapping `inner` (a CARv1), with some index bytes after it. */
function carV2(inner: Uint8Array): Uint8Array {
  const pragma = Uint8Array.of(0x0a, 0xa1, 0x67, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x02)
  const header = Buffer.alloc(40)
  const dataOffset = pragma.length + header.length
  header.writeBigUInt64LE(BigInt(dataOffset), 16)
  header.writeBigUInt64LE(BigInt(inner.length), 24)
  header.writeBigUInt64LE(BigInt(dataOffset + inner.length), 32)
  return Buffer.concat([pragma, header, inner, Buffer.from('index bytes we never read')])
}

describe('readCar', () => {
  it('yields roots and verified blocks in order', async () => {
    const a = await block('a')
    const b = await block('b')
    const result = await readAll(await car([a.cid], [a, b]))
    expect(result.roots.map(String)).toEqual([a.cid.toString()])
    expect(result.blocks.map((x) => x.cid.toString())).toEqual([a.cid, b.cid].map(String))
  })

  it('reads the CARv1 payload of a CARv2 and stops before its index', async () => {
    const a = await block('inside v2')
    const result = await readAll(carV2(await car([a.cid], [a])))
    expect(result.blocks.map((x) => x.cid.toString())).toEqual([a.cid.toString()])
  })

  it('classifies header problems as BAD_HEADER', async () => {
    expect(await codeOf(readCar([new Uint8Array(0)]))).toBe('BAD_HEADER')
    expect(await codeOf(readCar([Uint8Array.of(0)]))).toBe('BAD_HEADER')
    const noRoots = dagCbor.encode({ version: 1 })
    expect(await codeOf(readCar([Uint8Array.of(noRoots.length), noRoots]))).toBe('BAD_HEADER')
    // A header length far beyond any real header: refused before buffering it.
    expect(await codeOf(readCar([Uint8Array.of(0xff, 0xff, 0xff, 0x7f)]))).toBe('BAD_HEADER')
  })

  it('classifies a zero-length section as BAD_BLOCK and a cut varint as TRUNCATED', async () => {
    const a = await block('a')
    const header = await car([a.cid], [])
    expect(await codeOf(readAll(Buffer.concat([header, Uint8Array.of(0)])))).toBe('BAD_BLOCK')
    expect(await codeOf(readAll(Buffer.concat([header, Uint8Array.of(0x80)])))).toBe('TRUNCATED')
  })

  it('refuses a section longer than the block limit before reading it', async () => {
    const a = await block('a')
    const bytes = await car([a.cid], [])
    const stream = await readCar(
      (async function* () {
        yield bytes
        // Section length 2^28 with no data behind it: must fail on the length, not wait for data.
        yield Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x01, 0x01, 0x55, 0x12, 0x20)
        yield new Uint8Array(32)
      })(),
      { maxBlockSize: 1024 },
    )
    const next = stream.blocks.next()
    expect(await codeOf(next)).toBe('BLOCK_TOO_LARGE')
  })

  it('stops with the abort reason when the signal fires', async () => {
    const a = await block('a')
    const controller = new AbortController()
    controller.abort(new Error('stop'))
    await expect(readCar([await car([a.cid], [a])], { signal: controller.signal })).rejects.toThrow(
      'stop',
    )
  })

  it("passes the source's own error through, in the header and between blocks", async () => {
    const a = await block('a')
    const bytes = await car([a.cid], [a, await block('b')])
    const limit = new Error('over the caller limit')
    async function* failingAfter(count: number) {
      yield bytes.subarray(0, count)
      throw limit
    }
    await expect(readCar(failingAfter(3))).rejects.toBe(limit)
    const stream = await readCar(failingAfter(bytes.length - 10))
    const first = await stream.blocks.next()
    expect(first.value).toMatchObject({ cid: a.cid })
    await expect(stream.blocks.next()).rejects.toBe(limit)
  })
})
