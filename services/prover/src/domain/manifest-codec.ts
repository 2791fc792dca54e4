/**
 * The stored form of a root's manifest (storage-proofs.md §2.2): its blocks in canonical order as
 * repeated `{ u8 CID length, CID bytes, u64 size }`. Offsets, `T` and the chunk count follow from
 * it and the key's chunk size, so they are recomputed on load rather than trusted from storage.
 */
import { createManifest, type Manifest } from '@pinion/proofs'
import { CID } from 'multiformats/cid'

/** Encodes a manifest's block list. */
export function encodeManifest(manifest: Manifest): Uint8Array {
  const size = manifest.entries.reduce((n, e) => n + 1 + e.cid.length + 8, 0)
  const out = new Uint8Array(size)
  const view = new DataView(out.buffer)
  let at = 0
  for (const e of manifest.entries) {
    if (e.cid.length > 255) throw new RangeError('CID longer than 255 bytes')
    out[at] = e.cid.length
    out.set(e.cid, at + 1)
    at += 1 + e.cid.length
    view.setBigUint64(at, BigInt(e.size))
    at += 8
  }
  return out
}

/**
 * Rebuilds a manifest from its stored block list.
 *
 * @throws RangeError when the bytes are truncated or a CID does not decode.
 */
export function decodeManifest(root: CID, stored: Uint8Array, chunkSize: number): Manifest {
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength)
  const blocks: { cid: CID; size: number }[] = []
  let at = 0
  while (at < stored.length) {
    const length = stored[at]!
    if (at + 1 + length + 8 > stored.length) throw new RangeError('stored manifest truncated')
    const cid = CID.decode(stored.subarray(at + 1, at + 1 + length))
    at += 1 + length
    blocks.push({ cid, size: Number(view.getBigUint64(at)) })
    at += 8
  }
  return createManifest(root.bytes, blocks, chunkSize)
}
