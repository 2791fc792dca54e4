/**
 * bjo key creation and root encoding (storage-proofs.md §7 "Encode" and "Sentinels"): RS parity
 * over PRP-assigned stripes, permuted and encrypted into a sidecar, then Q sentinels.
 */
import { ctr, gcm } from '@noble/ciphers/aes.js'
import { concat, i2osp, u64 } from './bytes.js'
import { type ChunkSource, type Manifest } from './chunks.js'
import { batchTags, decodeDescriptor, encodeDescriptor } from './descriptor.js'
import { ensureFormat } from './errors.js'
import { decodeFrame, encodeFrame, field, FrameKind, protocolIds } from './frame.js'
import { createPrp } from './feistel.js'
import { wide } from './hash.js'
import { rsEncode, RS_K, RS_PARITY } from './gf256-rs.js'
import { defaultRandom } from './random.js'
import type { RandomBytes } from './modarith.js'
import type {
  CreatedKey,
  KeyOptions,
  OwnerSecret,
  ProverSetup,
  PublicSetup,
  RootDescriptor,
  TaggedRoot,
  TaSecret,
} from './types.js'
import { readFixed } from './values.js'

import {
  PROTO,
  SUITES,
  BJO_CHUNK_BYTES,
  DEFAULT_V,
  DEFAULT_Q,
  type BjoParams,
  encodeParams,
  decodeParams,
  deriveKeys,
  forRoot,
  sentinelChallenge,
  sentinelValue,
  aad,
  sentinelKey,
  parityCount,
} from './bjo-common.js'

/**
 * Creates a bjo key: a 32-byte master (the TA secret, from which the recovery keys derive), the
 * audit keys (the owner secret) and the public GSeed, V (= challengeSize), W = 2V and Q.
 */
export function bjoCreateKey(opts: KeyOptions): CreatedKey {
  if ((opts.suite ?? 1) !== 1) throw new RangeError('bjo has only suite 1')
  const random = opts.random ?? defaultRandom
  const v = opts.challengeSize ?? DEFAULT_V
  const q = opts.sentinels ?? DEFAULT_Q
  if (!Number.isInteger(v) || v < 1 || v > 100_000)
    throw new RangeError('challengeSize (V) must be 1–100 000')
  if (!Number.isInteger(q) || q < 1 || q > 1_000_000)
    throw new RangeError('sentinels (Q) must be 1–1 000 000')
  const master = random(32)
  const params: BjoParams = { v, w: 2 * v, q, gSeed: random(32) }
  const keys = deriveKeys(master)
  return {
    protocol: PROTO,
    taSecret: encodeFrame(FrameKind.taSecret, protocolIds[PROTO], 1, [[1, master]]) as TaSecret,
    ownerSecret: encodeFrame(FrameKind.ownerSecret, protocolIds[PROTO], 1, [
      [1, keys.kchal],
      [2, keys.kind],
      [3, keys.kenc],
    ]) as OwnerSecret,
    publicSetup: encodeParams(FrameKind.publicSetup, params) as PublicSetup,
    proverSetup: encodeParams(FrameKind.proverSetup, params) as ProverSetup,
  }
}

/**
 * Encodes a root: RS parity over PRP-assigned stripes, permuted and AES-CTR-encrypted into the
 * sidecar, then Q sentinels. Returns the descriptor (with t and Q), the sentinels as tag batches and
 * the sidecar (parity chunks, 31 bytes each) to store beside the DAG.
 */
export async function bjoTag(
  taSecret: TaSecret,
  publicSetup: PublicSetup,
  keyId: Uint8Array,
  manifest: Manifest,
  chunks: ChunkSource,
  opts: { perBatch?: number; random?: RandomBytes } = {},
): Promise<TaggedRoot> {
  const random = opts.random ?? defaultRandom
  const f = decodeFrame(taSecret, {
    kind: FrameKind.taSecret,
    protocol: protocolIds[PROTO],
    suites: SUITES,
    known: [1],
  })
  const keys = deriveKeys(readFixed(field(f, 1), 32, 'master'))
  const params = decodeParams(publicSetup, FrameKind.publicSetup)
  if (manifest.chunkSize !== BJO_CHUNK_BYTES)
    throw new RangeError(`manifest chunk size must be ${BJO_CHUNK_BYTES}`)
  const root = manifest.root
  const m = manifest.chunkCount
  const stripes = Math.ceil(m / RS_K)
  const parityTotal = parityCount(m)
  const perm = createPrp(forRoot(keys.kperm, root), m)
  const parityPerm = createPrp(forRoot(keys.keccperm, root), parityTotal)
  const keccenc = forRoot(keys.keccenc, root)
  const sidecar = new Uint8Array(parityTotal * BJO_CHUNK_BYTES)
  for (let s = 0; s < stripes; s++) {
    const members: Uint8Array[] = []
    for (let r = 0; r < RS_K && s * RS_K + r < m; r++)
      members.push(await chunks.chunk(perm.apply(s * RS_K + r)))
    rsEncode(members).forEach((parity, r) => {
      const at = parityPerm.apply(s * RS_PARITY + r)
      const kiv = wide(keccenc, 'par', u64(at))
      sidecar.set(
        ctr(kiv.subarray(0, 32), kiv.subarray(32, 48)).encrypt(parity),
        at * BJO_CHUNK_BYTES,
      )
    })
  }
  const t = m + parityTotal
  const read = (i: number): Promise<Uint8Array> | Uint8Array =>
    i < m
      ? chunks.chunk(i)
      : sidecar.subarray((i - m) * BJO_CHUNK_BYTES, (i - m + 1) * BJO_CHUNK_BYTES)
  const sentinels: Uint8Array[] = []
  const count = Math.min(params.v, t)
  for (let j = 1; j <= params.q; j++) {
    const { kc, u } = sentinelChallenge(keys, root, j, params.w)
    const mj = await sentinelValue(read, createPrp(kc, t), count, params.gSeed, u)
    const nonce = random(12)
    const ct = gcm(sentinelKey(keys, root, j), nonce, aad(keyId, root, j)).encrypt(i2osp(mj, 32))
    sentinels.push(concat(nonce, ct))
  }
  return {
    descriptor: encodeDescriptor({
      protocol: PROTO,
      suite: 1,
      keyId,
      root,
      chunkSize: BJO_CHUNK_BYTES,
      chunkCount: m,
      totalBytes: manifest.totalBytes,
      encodedCount: t,
      sentinels: params.q,
    }),
    tagBatches: batchTags(PROTO, 1, root, sentinels, opts.perBatch ?? 65_536),
    sidecar,
  }
}

/**
 * The prover's view of F̃ for one root: file chunks from the DAG, then parity from the sidecar.
 *
 * @throws {@link ProofFormatError} if the sidecar's size does not match the descriptor.
 */
export function bjoEncodedChunks(
  descriptor: RootDescriptor,
  file: ChunkSource,
  sidecar: Uint8Array,
): ChunkSource {
  const d = decodeDescriptor(descriptor, PROTO)
  const m = d.chunkCount
  ensureFormat(
    sidecar.length === (d.encodedCount! - m) * BJO_CHUNK_BYTES,
    'sidecar size does not match the descriptor',
  )
  return {
    chunk(i) {
      if (!Number.isSafeInteger(i) || i < 0 || i >= d.encodedCount!)
        throw new RangeError(`chunk ${i} outside F̃`)
      return i < m
        ? file.chunk(i)
        : sidecar.slice((i - m) * BJO_CHUNK_BYTES, (i - m + 1) * BJO_CHUNK_BYTES)
    },
  }
}
