import { createHash, randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { CarReader, CarWriter } from '@ipld/car'
import * as dagCbor from '@ipld/dag-cbor'
import { importBytes } from 'ipfs-unixfs-importer'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as Digest from 'multiformats/hashes/digest'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'

/** A block as the tests build it (independent of the package under test). */
export interface TestBlock {
  cid: CID
  bytes: Uint8Array
}

const fixtureDir = fileURLToPath(new URL('../fixtures/gateway-conformance/', import.meta.url))

/** gateway-conformance fixtures we use, by what they exercise (file names are root CIDs). */
export const fixtures = {
  /** UnixFS directory with files and a subdirectory (dag-pb + raw leaves). */
  unixfsDir: 'bafybeihchr7vmgjaasntayyatmp5sv6xza57iy2h4xj7g46bpjij6yhrmy',
  /** HAMT-sharded directory of multi-block files, 243 blocks. */
  hamt: 'bafybeidbclfqleg2uojchspzd4bob56dqetqjsj27gy2cq3klkkgxtpn4i',
  /** A 3 KiB CIDv0 file whose CAR lacks 3 of its blocks. */
  partialFile: 'QmYhmPjhFjYFyaoiuNzYv8WGavpSRDwdHWe5B4M5du5Rtk',
  /** UnixFS directory holding a dag-cbor document with links. */
  dirWithDagCbor: 'bafybeia264q44a3kmfc2otctzu4egp2k235o3t7mslz2yjraymp4nv6asi',
  /** dag-cbor documents linking each other. */
  dagCbor: 'bafyreibs4utpgbn7uqegmd2goqz4bkyflre2ek2iwv743fhvylwi4zeeim',
  /** dag-json documents linking each other. */
  dagJson: 'baguqeeram5ujjqrwheyaty3w5gdsmoz6vittchvhk723jjqxk7hakxkd47xq',
  /** One plain `json` (0x0200) block. */
  plainJson: 'bagaaierajjsnhsxqlgfrvknlt7z2heoljcgfv37cn45tu7mhmr23x3ekiboq',
  /** One plain `cbor` (0x51) block. */
  plainCbor: 'bafireif3aymeikgfbofx533yf5vlx4kimzq6zmzmpra2mnzfsfnmv4hchm',
  /** CIDv0 directory with a symlink. */
  symlink: 'QmWvY6FaqFMS89YAQ9NAPjVP4WZKA1qbHbicc9HeSKQTgt',
  /** Directory whose file is a raw block. */
  rawBlockDir: 'bafybeie72edlprgtlwwctzljf6gkn2wnlrddqjbkxo3jomh4n7omwblxly',
} as const

/** The fixtures whose CARs hold their whole DAG. */
export const completeFixtures = Object.entries(fixtures)
  .filter(([name]) => name !== 'partialFile')
  .map(([name, root]) => ({ name, root }))

/** A CAR fixture, parsed with @ipld/car. */
export interface LoadedCar {
  bytes: Uint8Array
  roots: CID[]
  blocks: TestBlock[]
}

export async function loadFixture(root: string): Promise<LoadedCar> {
  const bytes = await readFile(`${fixtureDir}${root}.car`)
  const reader = await CarReader.fromBytes(bytes)
  const blocks: TestBlock[] = []
  for await (const block of reader.blocks()) blocks.push({ cid: block.cid, bytes: block.bytes })
  return { bytes, roots: await reader.getRoots(), blocks }
}

/** CARv1 bytes with @ipld/car's writer (an encoder independent of the package under test). */
export async function carBytes(roots: CID[], blocks: TestBlock[]): Promise<Uint8Array> {
  const { writer, out } = CarWriter.create(roots)
  const chunks: Uint8Array[] = []
  const collected = (async () => {
    for await (const chunk of out) chunks.push(chunk)
  })()
  for (const block of blocks) await writer.put(block)
  await writer.close()
  await collected
  return Buffer.concat(chunks)
}

/** `bytes` as a stream of small chunks, so parsers meet every boundary. */
export async function* chunked(bytes: Uint8Array, size = 97): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) {
    await Promise.resolve()
    yield bytes.subarray(offset, offset + size)
  }
}

/** A fresh raw block (CIDv1, sha2-256) of random bytes. */
export async function rawBlock(size = 512): Promise<TestBlock> {
  const bytes = randomBytes(size)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

/** A dag-cbor block linking `links` (CIDv1, sha2-256). */
export async function cborBlock(value: Record<string, unknown>): Promise<TestBlock> {
  const bytes = dagCbor.encode(value)
  return { cid: CID.createV1(dagCbor.code, await sha256.digest(bytes)), bytes }
}

/** An identity CID inlining `bytes` with the given codec. */
export function identityCid(code: number, bytes: Uint8Array): CID {
  return CID.createV1(code, identity.digest(bytes))
}

/** A fresh small DAG no other test shares: a dag-cbor root linking raw leaves. */
export async function freshDag(leaves = 3): Promise<{ root: CID; blocks: TestBlock[] }> {
  const leafBlocks = await Promise.all(Array.from({ length: leaves }, () => rawBlock()))
  const root = await cborBlock({ leaves: leafBlocks.map((block) => block.cid), at: Date.now() })
  return { root: root.cid, blocks: [root, ...leafBlocks] }
}

/** A block whose CID names a hash function we do not verify (md5, 0xd5). */
export function md5Block(): TestBlock {
  const bytes = randomBytes(64)
  const digest = createHash('md5').update(bytes).digest()
  return { cid: CID.createV1(raw.code, Digest.create(0xd5, digest)), bytes }
}

/** A block whose CID names a codec we cannot walk (git-raw, 0x78), correctly hashed. */
export async function gitRawBlock(): Promise<TestBlock> {
  const bytes = randomBytes(64)
  return { cid: CID.createV1(0x78, await sha256.digest(bytes)), bytes }
}

/** A UnixFS file of `size` random bytes (CIDv1, raw leaves, 256 KiB chunks) and its blocks. */
export async function unixfsFile(size: number): Promise<{ root: CID; blocks: TestBlock[] }> {
  const blocks = new Map<string, TestBlock>()
  const store = {
    put: async (cid: CID, bytes: Uint8Array) => {
      blocks.set(cid.toString(), { cid, bytes })
      return cid
    },
  }
  const result = await importBytes(randomBytes(size), store as never, {
    cidVersion: 1,
    rawLeaves: true,
  })
  return { root: result.cid, blocks: [...blocks.values()] }
}

/** Collects an async iterable of chunks into one buffer. */
export async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of source) chunks.push(chunk)
  return Buffer.concat(chunks)
}
