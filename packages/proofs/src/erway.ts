/**
 * erway: DPDP I (Erway et al. 2009; storage-proofs.md §6). Public tags T_i = g^{m_i} mod N over the
 * raw chunk, an authenticated rank-based skip list per root whose basis sits in the root descriptor,
 * and proofs of (tags, paths, M = Σ a_t m_t) checked by g^M ≡ Π T_t^{a_t}. Nothing is secret once the
 * factorisation of N is erased; whoever keeps it could compute tags without the data.
 */
import { i2osp, os2ip, toHex, u32 } from './bytes.js'
import {
  decodeChallenge,
  encodeChallenge,
  sameRoots,
  selectChallenge,
  smallCoefficients,
} from './challenge.js'
import { type ChunkSource, type Manifest } from './chunks.js'
import { batchTags, decodeDescriptor, encodeDescriptor, type Descriptor } from './descriptor.js'
import { ensureFormat } from './errors.js'
import {
  decodeFrame,
  encodeFrame,
  field,
  FrameKind,
  peekFrameHeader,
  protocolIds,
} from './frame.js'
import { fixedBase, modPow, multiExp } from './modarith.js'
import { resolveProverRoots } from './prover-roots.js'
import { defaultRandom } from './random.js'
import {
  checkFactors,
  checkGenerator,
  checkModulus,
  crtPow,
  generateFactors,
  pickGenerator,
  qrOrder,
  RSA_CHUNK_BYTES,
  rsaWidth,
  suiteBits,
  type RsaFactors,
} from './rsa-group.js'
import { buildSkipList, decodePath, encodePath, verifyPath } from './skip-list.js'
import type {
  AuditMaterial,
  ChallengeOptions,
  CreatedKey,
  KeyOptions,
  ProverRoot,
  ProverSetup,
  PublicSetup,
  TaggedRoot,
  TaSecret,
  Validator,
} from './types.js'
import { createValidator, fail, OK } from './validator.js'
import { readInt, readList, readRsa, readUint, writeInt, writeList } from './values.js'

const PROTO = 'erway' as const
/** Suite 1: |N| = 3072 (spec). Suite 2: |N| = 2048, mirroring ateniese's suite 2 (not in draft 0.1). */
const SUITES = [1, 2]

interface PublicParams {
  readonly suite: number
  readonly n: bigint
  readonly g: bigint
}

function encodePublic(
  kind: typeof FrameKind.publicSetup | typeof FrameKind.proverSetup,
  p: PublicParams,
): Uint8Array {
  return encodeFrame(kind, protocolIds[PROTO], p.suite, [
    [1, writeInt(p.n)],
    [2, i2osp(p.g, rsaWidth(p.n))],
    [3, u32(RSA_CHUNK_BYTES)],
  ])
}

function decodePublic(
  bytes: Uint8Array,
  kind: typeof FrameKind.publicSetup | typeof FrameKind.proverSetup,
): PublicParams {
  const f = decodeFrame(bytes, {
    kind,
    protocol: protocolIds[PROTO],
    suites: SUITES,
    known: [1, 2, 3],
  })
  const n = readInt(field(f, 1), suiteBits(f.suite), 'N')
  checkModulus(n, f.suite)
  const g = readRsa(field(f, 2), n, rsaWidth(n), 'g')
  checkGenerator(g, n)
  ensureFormat(
    readUint(field(f, 3), 4, 'chunk_size') === RSA_CHUNK_BYTES,
    'chunk_size must be 8192',
  )
  return { suite: f.suite, n, g }
}

function decodeTa(bytes: Uint8Array): PublicParams & RsaFactors {
  const f = decodeFrame(bytes, {
    kind: FrameKind.taSecret,
    protocol: protocolIds[PROTO],
    suites: SUITES,
    known: [1, 2, 3],
  })
  const bits = suiteBits(f.suite)
  const factors = checkFactors(
    { p: readInt(field(f, 1), bits, 'p'), q: readInt(field(f, 2), bits, 'q') },
    bits,
  )
  const n = factors.p * factors.q
  return { ...factors, suite: f.suite, n, g: readRsa(field(f, 3), n, rsaWidth(n), 'g') }
}

/** Creates an erway key: N from safe primes and a generator g of QR_N. The TA secret holds p, q. */
export async function erwayCreateKey(opts: KeyOptions): Promise<CreatedKey> {
  const suite = opts.suite ?? 1
  const bits = suiteBits(suite)
  const random = opts.random ?? defaultRandom
  const factors = await generateFactors(bits, random, opts.safePrime)
  const n = factors.p * factors.q
  const pub = { suite, n, g: pickGenerator(n, random) }
  return {
    protocol: PROTO,
    taSecret: encodeFrame(FrameKind.taSecret, protocolIds[PROTO], suite, [
      [1, writeInt(factors.p)],
      [2, writeInt(factors.q)],
      [3, i2osp(pub.g, rsaWidth(n))],
    ]) as TaSecret,
    publicSetup: encodePublic(FrameKind.publicSetup, pub) as PublicSetup,
    proverSetup: encodePublic(FrameKind.proverSetup, pub) as ProverSetup,
  }
}

/**
 * Tags every chunk (T_i = g^{m_i} mod N) and builds the root's skip list. With the TA secret the
 * exponent is reduced mod p'q' (fast); with only the public setup — after the factors were erased
 * as §6 requires — the full 65 536-bit exponent is used, which gives the same tags, slower.
 */
export async function erwayTag(
  material: TaSecret | PublicSetup,
  keyId: Uint8Array,
  manifest: Manifest,
  chunks: ChunkSource,
  perBatch = 16_384,
): Promise<TaggedRoot> {
  const secret =
    peekFrameHeader(material).kind === FrameKind.taSecret ? decodeTa(material) : undefined
  const key: PublicParams = secret ?? decodePublic(material, FrameKind.publicSetup)
  const factors: RsaFactors | undefined = secret
  if (manifest.chunkSize !== RSA_CHUNK_BYTES)
    throw new RangeError(`manifest chunk size must be ${RSA_CHUNK_BYTES}`)
  const width = rsaWidth(key.n)
  const tags: Uint8Array[] = []
  for (let i = 0; i < manifest.chunkCount; i++) {
    const m = os2ip(await chunks.chunk(i))
    const t = factors ? crtPow(key.g, m % qrOrder(factors), factors) : modPow(key.g, m, key.n)
    tags.push(i2osp(t, width))
  }
  const list = buildSkipList(keyId, manifest.root, tags)
  return {
    descriptor: encodeDescriptor({
      protocol: PROTO,
      suite: key.suite,
      keyId,
      root: manifest.root,
      chunkSize: RSA_CHUNK_BYTES,
      chunkCount: manifest.chunkCount,
      totalBytes: manifest.totalBytes,
      basis: list.basis,
    }),
    tagBatches: batchTags(PROTO, key.suite, manifest.root, tags, perBatch),
  }
}

/**
 * Answers a challenge: per position its tag and skip-list path, plus M = Σ a_t m_t. The prover
 * rebuilds each root's list from the public tags and refuses if its basis differs from the
 * descriptor's (corrupt tag store).
 */
export async function erwayProve(
  setup: ProverSetup,
  roots: readonly ProverRoot[],
  challenge: Uint8Array,
): Promise<Uint8Array> {
  const pub = decodePublic(setup, FrameKind.proverSetup)
  const { common } = decodeChallenge(challenge, PROTO, [pub.suite], [])
  const resolved = resolveProverRoots(PROTO, common, roots)
  const width = rsaWidth(pub.n)
  const lists = await Promise.all(
    resolved.map(async (r) => {
      const tags: Uint8Array[] = []
      for (let i = 0; i < r.decoded.chunkCount; i++) tags.push(await r.tags.tag(i))
      const list = buildSkipList(common.keyId, r.decoded.root, tags)
      ensureFormat(
        toHex(list.basis) === toHex(r.decoded.basis!),
        'stored tags do not match the basis',
      )
      return { list, tags }
    }),
  )
  const sel = selectChallenge(PROTO, pub.suite, common)
  const a = smallCoefficients(sel.key, common.c)
  let m = 0n
  const tagItems: Uint8Array[] = []
  const pathItems: Uint8Array[] = []
  for (let t = 0; t < sel.positions.length; t++) {
    const { root, index } = sel.positions[t]!
    const tag = lists[root]!.tags[index]!
    readRsa(tag, pub.n, width, 'stored tag')
    tagItems.push(tag)
    pathItems.push(encodePath(lists[root]!.list.path(index)))
    m += a[t]! * os2ip(await resolved[root]!.chunks.chunk(index))
  }
  return encodeFrame(FrameKind.proof, protocolIds[PROTO], pub.suite, [
    [0x10, writeList(tagItems)],
    [0x11, writeList(pathItems)],
    [0x12, writeInt(m)],
  ])
}

// Fixed-base tables for g, per (N, g): building one costs one long exponentiation, after which each
// g^M costs ~8× less. A validator process audits the same key many times.
const tables = new Map<string, (e: bigint) => bigint>()
const MAX_M_BITS = 8 * RSA_CHUNK_BYTES + 128 + 17

function powG(pub: PublicParams, e: bigint): bigint {
  const id = `${pub.n.toString(16)}:${pub.g.toString(16)}`
  let table = tables.get(id)
  if (!table) {
    if (tables.size >= 8) tables.delete(tables.keys().next().value!)
    table = fixedBase(pub.g, pub.n, MAX_M_BITS)
    tables.set(id, table)
  }
  return table(e)
}

/**
 * Builds a challenge and a public validator: every path must lead to its root's basis (from the
 * auditor's own descriptors) at the right index, and g^M ≡ Π T_t^{a_t} (mod N).
 */
export function erwayChallenge(
  audit: AuditMaterial,
  opts: ChallengeOptions,
): { challenge: Uint8Array; validator: Validator } {
  const pub = decodePublic(audit.publicSetup, FrameKind.publicSetup)
  const descriptors: Descriptor[] = audit.descriptors.map((d) =>
    decodeDescriptor(d, PROTO, audit.keyId),
  )
  const roots = descriptors.map((d) => ({ cid: d.root, count: d.chunkCount }))
  const seed = opts.seed ?? (opts.random ?? defaultRandom)(32)
  const common = {
    keyId: audit.keyId,
    seed,
    c: opts.c,
    roots,
    n: roots.reduce((x, r) => x + r.count, 0),
  }
  const challenge = encodeChallenge(PROTO, pub.suite, common, [])
  const width = rsaWidth(pub.n)
  return {
    challenge,
    validator: createValidator(challenge, (proof) => {
      if (!sameRoots(decodeChallenge(challenge, PROTO, [pub.suite], []).common.roots, roots))
        return fail('mismatch', 'roots differ')
      const f = decodeFrame(proof, {
        kind: FrameKind.proof,
        protocol: protocolIds[PROTO],
        suites: [pub.suite],
        known: [0x10, 0x11, 0x12],
      })
      const tagBytes = readList(field(f, 0x10), common.c, 'tags')
      const paths = readList(field(f, 0x11), common.c, 'paths')
      ensureFormat(
        tagBytes.length === common.c && paths.length === common.c,
        'proof must carry c tags and c paths',
      )
      const tags = tagBytes.map((t) => readRsa(t, pub.n, width, 'tag'))
      const m = readInt(field(f, 0x12), MAX_M_BITS, 'M')
      const sel = selectChallenge(PROTO, pub.suite, common)
      for (let t = 0; t < common.c; t++) {
        const { root, index } = sel.positions[t]!
        const d = descriptors[root]!
        if (!verifyPath(tagBytes[t]!, decodePath(paths[t]!), index, d.chunkCount, d.basis!)) {
          return fail('mismatch', `path ${t} does not lead to the basis at index ${index}`)
        }
      }
      const a = smallCoefficients(sel.key, common.c)
      return powG(pub, m) === multiExp(tags, a, pub.n) ? OK : fail('mismatch', 'g^M ≠ Π T^a')
    }),
  }
}
