import * as dagCbor from '@ipld/dag-cbor'
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { blockKey, decodeLinks, walkDag, type BlockReader } from './dag.js'
import { BlockDecodeError, BlockNotFoundError } from './errors.js'

async function put(store: Map<string, Uint8Array>, code: number, bytes: Uint8Array) {
  const cid = CID.createV1(code, await sha256.digest(bytes))
  store.set(blockKey(cid), bytes)
  return cid
}

function reader(store: Map<string, Uint8Array>, reads: string[] = []): BlockReader {
  return {
    get: async (cid) => {
      reads.push(cid.toString())
      const bytes = store.get(blockKey(cid))
      if (bytes === undefined) throw new BlockNotFoundError(cid.toString())
      return bytes
    },
  }
}

describe('walkDag', () => {
  it('visits depth-first in link order, each block once (CIDv0 = CIDv1)', async () => {
    const store = new Map<string, Uint8Array>()
    const leafA = await put(store, raw.code, new TextEncoder().encode('a'))
    const leafB = await put(store, raw.code, new TextEncoder().encode('b'))
    const inner = await put(
      store,
      dagPb.code,
      dagPb.encode(dagPb.prepare({ Links: [{ Hash: leafA, Name: 'a' }] })),
    )
    const innerV0 = CID.createV0(inner.multihash)
    const root = await put(
      store,
      dagCbor.code,
      dagCbor.encode({ list: [inner, leafB, innerV0, leafA] }),
    )
    const visited: string[] = []
    for await (const node of walkDag(reader(store), root)) visited.push(node.cid.toString())
    expect(visited).toEqual([root, inner, leafA, leafB].map(String))
  })

  it('with duplicates, yields a block each time it is linked, in walk order', async () => {
    const store = new Map<string, Uint8Array>()
    const leafA = await put(store, raw.code, new TextEncoder().encode('a'))
    const inner = await put(
      store,
      dagPb.code,
      dagPb.encode(dagPb.prepare({ Links: [{ Hash: leafA, Name: 'a' }] })),
    )
    const root = await put(store, dagCbor.code, dagCbor.encode({ list: [inner, leafA, inner] }))
    const visited: string[] = []
    for await (const node of walkDag(reader(store), root, { duplicates: true }))
      visited.push(node.cid.toString())
    expect(visited).toEqual([root, inner, leafA, leafA, inner, leafA].map(String))
  })

  it('fails with BlockNotFoundError on a missing block and BlockDecodeError on garbage', async () => {
    const store = new Map<string, Uint8Array>()
    const missing = CID.createV1(raw.code, await sha256.digest(new Uint8Array([1])))
    const root = await put(store, dagCbor.code, dagCbor.encode({ missing }))
    const walk = async (cid: CID) => {
      for await (const _ of walkDag(reader(store), cid)) void _
    }
    await expect(walk(root)).rejects.toBeInstanceOf(BlockNotFoundError)
    const garbage = await put(store, dagPb.code, Uint8Array.of(0xff, 0xff, 0xff))
    await expect(walk(garbage)).rejects.toBeInstanceOf(BlockDecodeError)
  })

  it('reads ahead a bounded number of blocks', async () => {
    const store = new Map<string, Uint8Array>()
    const leaves = await Promise.all(
      Array.from({ length: 20 }, (_, i) => put(store, raw.code, Uint8Array.of(i))),
    )
    const root = await put(store, dagCbor.code, dagCbor.encode({ leaves }))
    const reads: string[] = []
    const walk = walkDag(reader(store, reads), root, { readAhead: 4 })
    await walk.next()
    await walk.next()
    // Root, then the first leaf plus at most 3 more read ahead.
    expect(reads.length).toBeLessThanOrEqual(1 + 4)
    await walk.return(undefined)
  })
})

describe('decodeLinks', () => {
  it('finds no links in raw blocks and every CID in dag-cbor', async () => {
    const a = CID.createV1(raw.code, await sha256.digest(Uint8Array.of(1)))
    expect(decodeLinks(a, Uint8Array.of(1))).toEqual([])
    const doc = dagCbor.encode({ x: { deep: [a] }, y: a })
    const docCid = CID.createV1(dagCbor.code, await sha256.digest(doc))
    expect(decodeLinks(docCid, doc).map(String)).toEqual([a.toString(), a.toString()])
  })
})
