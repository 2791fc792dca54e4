/**
 * From a DAG's blocks to the chunk stream the protocols tag (storage-proofs.md §2.2): the canonical
 * block list (distinct CIDs sorted by raw bytes), the virtual byte stream `S`, fixed-size chunks of
 * `Z` bytes (the last zero-padded) and the manifest of (CID, size, prefix offset) the prover keeps.
 */
import { compareBytes, concat, lp, u64, utf8 } from './bytes.js'

/** A CID as this library needs it: its raw bytes and its string form (multiformats' CID fits). */
export interface CidLike {
  readonly bytes: Uint8Array
  toString(): string
}

/** One block of a DAG: its CID and its raw bytes. */
export interface BlockInput {
  readonly cid: CidLike
  readonly bytes: Uint8Array
}

/** Where a block sits in the virtual stream `S`. */
export interface ManifestEntry {
  /** Raw CID bytes. */
  readonly cid: Uint8Array
  /** CID string, as reported in `block_ids`. */
  readonly id: string
  /** Block length in bytes. */
  readonly size: number
  /** Offset of the block's first byte in `S`. */
  readonly offset: number
}

/** The canonical layout of one root (§2.2): what the prover keeps to map chunks to block ranges. */
export interface Manifest {
  /** Raw root CID bytes. */
  readonly root: Uint8Array
  /** Chunk size `Z` in bytes. */
  readonly chunkSize: number
  /** `T`, the length of `S` in bytes. */
  readonly totalBytes: number
  /** `max(1, ceil(T / Z))`. */
  readonly chunkCount: number
  /** Blocks in canonical order (raw CID bytes ascending, distinct). */
  readonly entries: readonly ManifestEntry[]
}

/** Reads a block's bytes by raw CID. */
export interface BlockSource {
  get(cid: Uint8Array): Promise<Uint8Array> | Uint8Array
}

/** Reads chunk `i` of a root: exactly `Z` bytes. */
export interface ChunkSource {
  chunk(index: number): Promise<Uint8Array> | Uint8Array
}

/**
 * Builds the manifest of a root from its blocks' CIDs and sizes, in any order, duplicates allowed.
 *
 * @param chunkSize `Z` in bytes (≥ 1).
 * @throws RangeError on a bad chunk size or block size, or a block listed twice with two sizes.
 */
export function createManifest(
  root: Uint8Array,
  blocks: Iterable<{ readonly cid: CidLike; readonly size: number }>,
  chunkSize: number,
): Manifest {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1)
    throw new RangeError(`bad chunk size ${chunkSize}`)
  const seen = new Map<string, { cid: Uint8Array; id: string; size: number }>()
  for (const b of blocks) {
    if (!Number.isSafeInteger(b.size) || b.size < 0)
      throw new RangeError(`bad block size ${b.size}`)
    const id = b.cid.toString()
    const known = seen.get(id)
    if (known && known.size !== b.size) throw new RangeError(`block ${id} listed with two sizes`)
    seen.set(id, { cid: b.cid.bytes.slice(), id, size: b.size })
  }
  const sorted = [...seen.values()].sort((a, b) => compareBytes(a.cid, b.cid))
  let offset = 0
  const entries = sorted.map((b) => {
    const e = { ...b, offset }
    offset += b.size
    return e
  })
  return {
    root: root.slice(),
    chunkSize,
    totalBytes: offset,
    chunkCount: Math.max(1, Math.ceil(offset / chunkSize)),
    entries,
  }
}

/** `block_ids` of a manifest: the CID strings in canonical order. */
export function blockIds(manifest: Manifest): string[] {
  return manifest.entries.map((e) => e.id)
}

/**
 * Reads all of a DAG's blocks into memory and returns its manifest and a source over them: the
 * convenience path for small DAGs and tests. Large DAGs should use {@link createManifest} with a
 * {@link BlockSource} backed by the blockstore.
 */
export async function collectBlocks(
  root: CidLike,
  blocks: AsyncIterable<BlockInput> | Iterable<BlockInput>,
  chunkSize: number,
): Promise<{ manifest: Manifest; source: BlockSource }> {
  const byId = new Map<string, BlockInput>()
  for await (const b of blocks) byId.set(b.cid.toString(), b)
  const manifest = createManifest(
    root.bytes,
    [...byId.values()].map((b) => ({ cid: b.cid, size: b.bytes.length })),
    chunkSize,
  )
  const byHex = new Map<string, Uint8Array>()
  for (const b of byId.values()) byHex.set(hexKey(b.cid.bytes), b.bytes)
  return {
    manifest,
    source: {
      get(cid) {
        const bytes = byHex.get(hexKey(cid))
        if (!bytes) throw new RangeError('block not in the collected DAG')
        return bytes
      },
    },
  }
}

function hexKey(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

/**
 * A {@link ChunkSource} over a manifest: chunk `i` is `S[iZ : (i+1)Z]`, zero-padded at the end.
 *
 * @throws RangeError (when reading) for an index outside [0, chunkCount) or a block whose length
 *   differs from the manifest.
 */
export function createChunkReader(manifest: Manifest, source: BlockSource): ChunkSource {
  const { chunkSize: z, entries } = manifest
  return {
    async chunk(index) {
      if (!Number.isSafeInteger(index) || index < 0 || index >= manifest.chunkCount) {
        throw new RangeError(`chunk ${index} outside [0, ${manifest.chunkCount})`)
      }
      const out = new Uint8Array(z)
      const start = index * z
      const end = Math.min(start + z, manifest.totalBytes)
      let e = firstEntryEndingAfter(entries, start)
      for (; e < entries.length && entries[e]!.offset < end; e++) {
        const entry = entries[e]!
        if (entry.size === 0) continue
        const bytes = await source.get(entry.cid)
        if (bytes.length !== entry.size)
          throw new RangeError(
            `block ${entry.id} has ${bytes.length} bytes, manifest says ${entry.size}`,
          )
        const from = Math.max(start, entry.offset)
        const to = Math.min(end, entry.offset + entry.size)
        out.set(bytes.subarray(from - entry.offset, to - entry.offset), from - start)
      }
      return out
    },
  }
}

// Binary search: the first entry whose byte range ends after `offset`.
function firstEntryEndingAfter(entries: readonly ManifestEntry[], offset: number): number {
  let lo = 0
  let hi = entries.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const e = entries[mid]!
    if (e.offset + e.size <= offset) lo = mid + 1
    else hi = mid
  }
  return lo
}

const CHUNK_ID_MAGIC = utf8('PNC1')

/** `id(root, i) = "PNC1" ‖ LP(root CID bytes) ‖ u64(i)` (§2.2.4). */
export function chunkId(root: Uint8Array, index: number): Uint8Array {
  return concat(CHUNK_ID_MAGIC, lp(root), u64(index))
}
