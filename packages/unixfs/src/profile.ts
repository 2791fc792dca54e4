import { type ImporterOptions } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'

/**
 * The parameters that decide a UnixFS DAG's CID. Two importers with the same profile turn the same
 * bytes and paths into the same CIDs.
 */
export interface UnixfsProfile {
  /** CID version of every block (1: base32 `bafy…`/`bafk…`). */
  readonly cidVersion: 0 | 1
  /** File data in `raw` (0x55) leaves rather than dag-pb UnixFS leaves. */
  readonly rawLeaves: boolean
  /** Fixed-size chunker: bytes per leaf. */
  readonly chunkSize: number
  /** Balanced layout: most links per file node before a new level is added. */
  readonly maxChildrenPerNode: number
  /** Estimated directory size (bytes) above which a directory becomes a HAMT shard. */
  readonly shardSplitThresholdBytes: number
  /** How the directory size is estimated: Kubo's `links` (name + CID bytes) or exact `block` bytes. */
  readonly shardSplitStrategy: 'links-bytes' | 'block-bytes'
  /** Bits of the murmur3 hash per HAMT level: 2^bits children per shard. */
  readonly shardFanoutBits: number
}

/**
 * Kubo's defaults for `ipfs add --cid-version=1` (Kubo `config/import.go`, boxo
 * `ipld/unixfs/io/directory.go`, checked against the published CIDs in test/vectors/README.md):
 *
 * - CIDv1, sha2-256 (`Import.HashFunction` default), raw leaves (`--cid-version=1` turns
 *   `Import.UnixFSRawLeaves` on);
 * - fixed-size chunks of 262144 bytes (`Import.UnixFSChunker` = `size-262144`);
 * - balanced layout, 174 links per node (`Import.UnixFSFileMaxLinks` = boxo's
 *   `DefaultLinksPerBlock`); a file of one chunk is that single raw block;
 * - directories as dag-pb UnixFS nodes, links sorted by name, no mode or mtime;
 * - HAMT sharding when the directory's "links" estimate (sum of UTF-8 name bytes + CID bytes)
 *   is strictly greater than 262144 (`Import.UnixFSHAMTDirectorySizeThreshold`,
 *   `UnixFSHAMTDirectorySizeEstimation` = `links`), fanout 256 (`UnixFSHAMTDirectoryMaxFanout`),
 *   murmur3-x64-64 name hashes.
 *
 * This is IPIP-499's `unixfs-v0-2015` profile with CIDv1 and raw leaves, not its newer
 * `unixfs-v1-2025` (1 MiB chunks, 1024 links), which Kubo uses only when asked.
 */
export const kuboProfile: UnixfsProfile = Object.freeze({
  cidVersion: 1,
  rawLeaves: true,
  chunkSize: 262_144,
  maxChildrenPerNode: 174,
  shardSplitThresholdBytes: 262_144,
  shardSplitStrategy: 'links-bytes',
  shardFanoutBits: 8,
})

/** The `ipfs-unixfs-importer` options that implement `profile`. */
export function importerOptions(profile: UnixfsProfile): ImporterOptions {
  return {
    cidVersion: profile.cidVersion,
    rawLeaves: profile.rawLeaves,
    // Kubo's non-raw leaves are UnixFS `file` nodes; single-chunk files are their own leaf.
    leafType: 'file',
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: profile.chunkSize }),
    layout: balanced({ maxChildrenPerNode: profile.maxChildrenPerNode }),
    shardSplitThresholdBytes: profile.shardSplitThresholdBytes,
    shardSplitStrategy: profile.shardSplitStrategy,
    shardFanoutBits: profile.shardFanoutBits,
    fieldOrder: 'links-first',
  }
}
