/**
 * Root descriptors (storage-proofs.md §2.2.5) and tag batches: the per-root frames the TA publishes
 * and the prover stores. The verifier takes chunk counts only from descriptors it holds (§2.2).
 */
import { bytesEqual, u32, u64 } from './bytes.js'
import { ensureFormat } from './errors.js'
import {
  decodeFrame,
  encodeFrame,
  field,
  FrameKind,
  protocolIds,
  type ProtocolName,
} from './frame.js'
import type { RootDescriptor, TagBatch, TagSource } from './types.js'
import { readFixed, readU64, readUint } from './values.js'
import type { ChallengeRoot } from './challenge.js'

/** Decoded root descriptor. */
export interface Descriptor {
  readonly protocol: ProtocolName
  readonly suite: number
  readonly keyId: Uint8Array
  readonly root: Uint8Array
  /** `Z` in bytes. */
  readonly chunkSize: number
  readonly chunkCount: number
  /** `T` in bytes. */
  readonly totalBytes: number
  /** erway: label of the top-left sentinel (32 bytes). */
  readonly basis?: Uint8Array
  /** bjo: number of chunks of the encoded file F̃ (file plus parity). */
  readonly encodedCount?: number
  /** bjo: number of sentinels Q. */
  readonly sentinels?: number
}

const F = {
  keyId: 1,
  root: 2,
  chunkSize: 3,
  chunkCount: 4,
  totalBytes: 5,
  basis: 0x20,
  encodedCount: 0x21,
  sentinels: 0x22,
}

/** Encodes a root descriptor frame. */
export function encodeDescriptor(d: Descriptor): RootDescriptor {
  return encodeFrame(FrameKind.rootDescriptor, protocolIds[d.protocol], d.suite, [
    [F.keyId, d.keyId],
    [F.root, d.root],
    [F.chunkSize, u32(d.chunkSize)],
    [F.chunkCount, u64(d.chunkCount)],
    [F.totalBytes, u64(d.totalBytes)],
    [F.basis, d.basis],
    [F.encodedCount, d.encodedCount === undefined ? undefined : u64(d.encodedCount)],
    [F.sentinels, d.sentinels === undefined ? undefined : u32(d.sentinels)],
  ]) as RootDescriptor
}

/**
 * Decodes a root descriptor of `protocol` and checks it belongs to `keyId` when given.
 *
 * @throws {@link ProofFormatError} on a malformed frame, another protocol or another key.
 */
export function decodeDescriptor(
  bytes: Uint8Array,
  protocol: ProtocolName,
  keyId?: Uint8Array,
): Descriptor {
  const extra =
    protocol === 'erway' ? [F.basis] : protocol === 'bjo' ? [F.encodedCount, F.sentinels] : []
  const frame = decodeFrame(bytes, {
    kind: FrameKind.rootDescriptor,
    protocol: protocolIds[protocol],
    known: [F.keyId, F.root, F.chunkSize, F.chunkCount, F.totalBytes, ...extra],
  })
  const d: Descriptor = {
    protocol,
    suite: frame.suite,
    keyId: field(frame, F.keyId).slice(),
    root: field(frame, F.root).slice(),
    chunkSize: readUint(field(frame, F.chunkSize), 4, 'chunk_size'),
    chunkCount: readU64(field(frame, F.chunkCount), 'chunk_count'),
    totalBytes: readU64(field(frame, F.totalBytes), 'total_bytes'),
    ...(protocol === 'erway' ? { basis: readFixed(field(frame, F.basis), 32, 'basis') } : {}),
    ...(protocol === 'bjo'
      ? {
          encodedCount: readU64(field(frame, F.encodedCount), 'encoded_count'),
          sentinels: readUint(field(frame, F.sentinels), 4, 'sentinels'),
        }
      : {}),
  }
  ensureFormat(d.chunkSize >= 1 && d.chunkCount >= 1, 'descriptor: empty chunking')
  ensureFormat(
    d.chunkCount === Math.max(1, Math.ceil(d.totalBytes / d.chunkSize)),
    'descriptor: chunk_count ≠ ceil(T/Z)',
  )
  ensureFormat(
    d.keyId.length >= 1 && d.keyId.length <= 64 && d.root.length >= 1,
    'descriptor: bad key id or root',
  )
  if (keyId) ensureFormat(bytesEqual(keyId, d.keyId), 'descriptor belongs to another key')
  return d
}

/** The ordered challenge root list of some descriptors (counts from the descriptors, §2.2). */
export function descriptorRoots(descriptors: readonly Descriptor[]): ChallengeRoot[] {
  return descriptors.map((d) => ({ cid: d.root, count: d.chunkCount }))
}

const T = { root: 1, first: 2, tags: 3 }

/** Encodes a tag batch: `count` fixed-width tags starting at index `first`. */
export function encodeTagBatch(
  protocol: ProtocolName,
  suite: number,
  root: Uint8Array,
  first: number,
  tags: Uint8Array,
): TagBatch {
  return encodeFrame(FrameKind.tagBatch, protocolIds[protocol], suite, [
    [T.root, root],
    [T.first, u64(first)],
    [T.tags, tags],
  ]) as TagBatch
}

/** Decoded tag batch. */
export interface DecodedTagBatch {
  readonly root: Uint8Array
  readonly first: number
  readonly tags: readonly Uint8Array[]
}

/** Decodes a tag batch of fixed-width tags; throws {@link ProofFormatError} when malformed. */
export function decodeTagBatch(
  bytes: Uint8Array,
  protocol: ProtocolName,
  tagWidth: number,
): DecodedTagBatch {
  const frame = decodeFrame(bytes, {
    kind: FrameKind.tagBatch,
    protocol: protocolIds[protocol],
    known: [T.root, T.first, T.tags],
  })
  const raw = field(frame, T.tags)
  ensureFormat(
    raw.length > 0 && raw.length % tagWidth === 0,
    `tag batch is not a multiple of ${tagWidth} bytes`,
  )
  const tags: Uint8Array[] = []
  for (let at = 0; at < raw.length; at += tagWidth) tags.push(raw.slice(at, at + tagWidth))
  return {
    root: field(frame, T.root).slice(),
    first: readU64(field(frame, T.first), 'first index'),
    tags,
  }
}

/**
 * An in-memory {@link TagSource} over decoded batches of one root.
 *
 * @throws {@link ProofFormatError} if batches belong to another root or overlap.
 */
export function tagSourceFromBatches(
  batches: readonly Uint8Array[],
  protocol: ProtocolName,
  tagWidth: number,
  root: Uint8Array,
): TagSource {
  const byIndex = new Map<number, Uint8Array>()
  for (const b of batches) {
    const decoded = decodeTagBatch(b, protocol, tagWidth)
    ensureFormat(bytesEqual(decoded.root, root), 'tag batch of another root')
    decoded.tags.forEach((t, i) => {
      ensureFormat(!byIndex.has(decoded.first + i), 'overlapping tag batches')
      byIndex.set(decoded.first + i, t)
    })
  }
  return {
    tag(index) {
      const t = byIndex.get(index)
      if (!t) throw new RangeError(`no tag for chunk ${index}`)
      return t
    },
  }
}

/** Splits `count` fixed-width tags into batch frames of at most `perBatch` tags. */
export function batchTags(
  protocol: ProtocolName,
  suite: number,
  root: Uint8Array,
  tags: readonly Uint8Array[],
  perBatch: number,
): TagBatch[] {
  const out: TagBatch[] = []
  for (let first = 0; first < tags.length; first += perBatch) {
    const slice = tags.slice(first, first + perBatch)
    const joined = new Uint8Array(slice.reduce((n, t) => n + t.length, 0))
    let at = 0
    for (const t of slice) {
      joined.set(t, at)
      at += t.length
    }
    out.push(encodeTagBatch(protocol, suite, root, first, joined))
  }
  return out
}
