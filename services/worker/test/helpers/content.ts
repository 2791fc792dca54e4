import { randomBytes } from 'node:crypto'
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'

/** A block and its CID. */
export interface TestBlock {
  cid: CID
  bytes: Uint8Array
}

/** A raw block of `bytes` (random when omitted), CIDv1. */
export async function rawBlock(bytes: Uint8Array = randomBytes(64)): Promise<TestBlock> {
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

/** A two-level DAG: a dag-pb root linking `leaves` random raw blocks. Root first. */
export async function smallDag(leaves = 3): Promise<{ root: CID; blocks: TestBlock[] }> {
  const children = await Promise.all(Array.from({ length: leaves }, () => rawBlock()))
  const node = dagPb.prepare({
    Links: children.map((child, index) => ({
      Name: `leaf-${index}`,
      Hash: child.cid,
      Tsize: child.bytes.length,
    })),
  })
  const bytes = dagPb.encode(node)
  const root = CID.createV1(dagPb.code, await sha256.digest(bytes))
  return { root, blocks: [{ cid: root, bytes }, ...children] }
}

/** Total bytes of a DAG's blocks (what the worker records as its size). */
export const sizeOf = (blocks: readonly TestBlock[]) =>
  blocks.reduce((sum, block) => sum + block.bytes.length, 0)
