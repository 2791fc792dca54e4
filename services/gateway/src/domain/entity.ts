import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import type { CID } from 'multiformats/cid'
import * as json from 'multiformats/codecs/json'
import * as raw from 'multiformats/codecs/raw'
import { MalformedDagError } from './errors.js'

/** The plain `cbor` codec (0x51). */
export const CBOR_CODE = 0x51

/** What the block at the end of a path is, as far as serving it goes. */
export type Entity =
  | {
      kind: 'file'
      cid: CID
      bytes: Uint8Array
      size: number
      mtime: Date | undefined
      /** Whether the bytes are in further blocks (leaves) rather than all in this one. */
      linked: boolean
    }
  | { kind: 'directory'; cid: CID; bytes: Uint8Array; node: dagPb.PBNode; hamt: boolean }
  | { kind: 'symlink'; cid: CID; bytes: Uint8Array; target: Uint8Array }
  | { kind: 'document'; cid: CID; bytes: Uint8Array }
  | { kind: 'dag-pb'; cid: CID; bytes: Uint8Array }

function unixfsOf(cid: CID, node: dagPb.PBNode): UnixFS | undefined {
  if (node.Data === undefined) return undefined
  try {
    return UnixFS.unmarshal(node.Data)
  } catch (error) {
    throw new MalformedDagError(`${cid} is not a valid UnixFS node`, { cause: error })
  }
}

function mtimeOf(unixfs: UnixFS): Date | undefined {
  if (unixfs.mtime === undefined) return undefined
  return new Date(Number(unixfs.mtime.secs) * 1000 + Math.floor((unixfs.mtime.nsecs ?? 0) / 1e6))
}

/**
 * Classifies a block: a UnixFS file (dag-pb file or raw leaf), directory (plain or HAMT-sharded),
 * symlink, a codec document (dag-cbor, dag-json, json, cbor), or dag-pb that is not UnixFS.
 *
 * @throws MalformedDagError when a dag-pb block does not decode or its UnixFS data is invalid.
 */
export function classifyBlock(cid: CID, bytes: Uint8Array): Entity {
  switch (cid.code) {
    case raw.code:
      return { kind: 'file', cid, bytes, size: bytes.length, mtime: undefined, linked: false }
    case dagCbor.code:
    case dagJson.code:
    case json.code:
    case CBOR_CODE:
      return { kind: 'document', cid, bytes }
    case dagPb.code:
      break
    default:
      throw new MalformedDagError(`Codec 0x${cid.code.toString(16)} cannot be served`)
  }
  let node: dagPb.PBNode
  try {
    node = dagPb.decode(bytes)
  } catch (error) {
    throw new MalformedDagError(`${cid} is not valid dag-pb`, { cause: error })
  }
  const unixfs = unixfsOf(cid, node)
  switch (unixfs?.type) {
    case 'file':
    case 'raw':
      return {
        kind: 'file',
        cid,
        bytes,
        size: Number(unixfs.fileSize()),
        mtime: mtimeOf(unixfs),
        linked: node.Links.length > 0,
      }
    case 'directory':
      return { kind: 'directory', cid, bytes, node, hamt: false }
    case 'hamt-sharded-directory':
      return { kind: 'directory', cid, bytes, node, hamt: true }
    case 'symlink':
      return { kind: 'symlink', cid, bytes, target: unixfs.data ?? new Uint8Array() }
    default:
      return { kind: 'dag-pb', cid, bytes }
  }
}
