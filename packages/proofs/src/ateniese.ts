/**
 * ateniese: S-PDP (Ateniese et al. 2007 §4.3, full version with e secret; storage-proofs.md §5).
 * Tags T_i = (h(v ‖ id_i)·g^{m_i})^d over the raw chunk m_i; proofs (T, ρ) with the verifier's secret
 * exponent sc inside g_s = g^sc. The owner holds (N, g, e, v): enough to verify, not to tag.
 */
import { i2osp, lp, os2ip, u32 } from './bytes.js'
import {
  decodeChallenge,
  encodeChallenge,
  sameRoots,
  selectChallenge,
  smallCoefficients,
} from './challenge.js'
import { chunkId, type ChunkSource, type Manifest } from './chunks.js'
import { batchTags, decodeDescriptor, descriptorRoots, encodeDescriptor } from './descriptor.js'
import { ensureFormat } from './errors.js'
import { decodeFrame, encodeFrame, field, FrameKind, protocolIds } from './frame.js'
import { H, label } from './hash.js'
import { gcd, modInv, modPow, multiExp, randomBelow, randomPrime } from './modarith.js'
import { resolveProverRoots } from './prover-roots.js'
import { defaultRandom } from './random.js'
import {
  checkFactors,
  checkGenerator,
  checkModulus,
  crtPow,
  generateFactors,
  hashToQr,
  pickGenerator,
  qrOrder,
  RSA_CHUNK_BYTES,
  rsaWidth,
  suiteBits,
  type RsaFactors,
} from './rsa-group.js'
import type {
  AuditMaterial,
  ChallengeOptions,
  CreatedKey,
  KeyOptions,
  OwnerSecret,
  ProverRoot,
  ProverSetup,
  PublicSetup,
  TaggedRoot,
  TaSecret,
  Validator,
} from './types.js'
import { createValidator, fail, OK } from './validator.js'
import { readFixed, readInt, readRsa, readUint, writeInt } from './values.js'

const PROTO = 'ateniese' as const
const SUITES = [1, 2]
const RHO_LABEL = label(PROTO, 'rho')

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

interface OwnerParams {
  readonly e: bigint
  readonly v: Uint8Array
}

function decodeOwner(bytes: Uint8Array): OwnerParams {
  const f = decodeFrame(bytes, {
    kind: FrameKind.ownerSecret,
    protocol: protocolIds[PROTO],
    suites: SUITES,
    known: [1, 2],
  })
  const e = readInt(field(f, 1), 256, 'e')
  ensureFormat(e > 2n && (e & 1n) === 1n, 'e must be an odd prime')
  return { e, v: readFixed(field(f, 2), 32, 'v') }
}

interface TaParams extends RsaFactors, OwnerParams {
  readonly suite: number
  readonly n: bigint
  readonly g: bigint
  readonly d: bigint
}

function decodeTa(bytes: Uint8Array): TaParams {
  const f = decodeFrame(bytes, {
    kind: FrameKind.taSecret,
    protocol: protocolIds[PROTO],
    suites: SUITES,
    known: [1, 2, 3, 4, 5, 6],
  })
  const bits = suiteBits(f.suite)
  const factors = checkFactors(
    { p: readInt(field(f, 1), bits, 'p'), q: readInt(field(f, 2), bits, 'q') },
    bits,
  )
  const n = factors.p * factors.q
  const e = readInt(field(f, 4), 256, 'e')
  const d = readInt(field(f, 3), bits, 'd')
  ensureFormat((e * d) % qrOrder(factors) === 1n, 'd is not the inverse of e')
  const g = readRsa(field(f, 6), n, rsaWidth(n), 'g')
  return { ...factors, suite: f.suite, n, g, e, d, v: readFixed(field(f, 5), 32, 'v') }
}

/**
 * Creates an ateniese key: safe primes, a secret 256-bit prime e with d = e⁻¹ mod p'q', g = a², and
 * v (32 random bytes). Suite 1 is |N| = 3072, suite 2 is 2048.
 */
export async function atenieseCreateKey(opts: KeyOptions): Promise<CreatedKey> {
  const suite = opts.suite ?? 1
  const bits = suiteBits(suite)
  const random = opts.random ?? defaultRandom
  const factors = await generateFactors(bits, random, opts.safePrime)
  const order = qrOrder(factors)
  let e: bigint
  do e = randomPrime(256, random)
  while (gcd(e, order) !== 1n)
  const d = modInv(e, order)
  const n = factors.p * factors.q
  const g = pickGenerator(n, random)
  const v = random(32)
  const pub = { suite, n, g }
  return {
    protocol: PROTO,
    taSecret: encodeFrame(FrameKind.taSecret, protocolIds[PROTO], suite, [
      [1, writeInt(factors.p)],
      [2, writeInt(factors.q)],
      [3, writeInt(d)],
      [4, writeInt(e)],
      [5, v],
      [6, i2osp(g, rsaWidth(n))],
    ]) as TaSecret,
    ownerSecret: encodeFrame(FrameKind.ownerSecret, protocolIds[PROTO], suite, [
      [1, writeInt(e)],
      [2, v],
    ]) as OwnerSecret,
    publicSetup: encodePublic(FrameKind.publicSetup, pub) as PublicSetup,
    proverSetup: encodePublic(FrameKind.proverSetup, pub) as ProverSetup,
  }
}

/** Tags every chunk: T_i = (h(v ‖ id_i)·g^{m_i mod p'q'})^d mod N, by CRT. m_i is the raw chunk. */
export async function atenieseTag(
  taSecret: TaSecret,
  keyId: Uint8Array,
  manifest: Manifest,
  chunks: ChunkSource,
  perBatch = 16_384,
): Promise<TaggedRoot> {
  const ta = decodeTa(taSecret)
  if (manifest.chunkSize !== RSA_CHUNK_BYTES)
    throw new RangeError(`manifest chunk size must be ${RSA_CHUNK_BYTES}`)
  const order = qrOrder(ta)
  const width = rsaWidth(ta.n)
  const tags: Uint8Array[] = []
  for (let i = 0; i < manifest.chunkCount; i++) {
    const m = os2ip(await chunks.chunk(i))
    const h = hashToQr(ta.n, new Uint8Array([...ta.v, ...chunkId(manifest.root, i)]))
    // (h·g^m)^d = h^d · g^{m·d}; both exponents reduce mod p'q' since h and g lie in QR_N.
    const t = (crtPow(h, ta.d, ta) * crtPow(ta.g, ((m % order) * ta.d) % order, ta)) % ta.n
    tags.push(i2osp(t, width))
  }
  return {
    descriptor: encodeDescriptor({
      protocol: PROTO,
      suite: ta.suite,
      keyId,
      root: manifest.root,
      chunkSize: RSA_CHUNK_BYTES,
      chunkCount: manifest.chunkCount,
      totalBytes: manifest.totalBytes,
    }),
    tagBatches: batchTags(PROTO, ta.suite, manifest.root, tags, perBatch),
  }
}

/**
 * Answers a challenge: T = Π T_{i_t}^{a_t}, M = Σ a_t m_{i_t} (an unreduced integer), and
 * ρ = H(LP(label) ‖ I2OSP(g_s^M mod N)). Needs only N, the tags and the data.
 */
export async function atenieseProve(
  setup: ProverSetup,
  roots: readonly ProverRoot[],
  challenge: Uint8Array,
): Promise<Uint8Array> {
  const pub = decodePublic(setup, FrameKind.proverSetup)
  const { common, frame } = decodeChallenge(challenge, PROTO, [pub.suite], [0x10])
  const width = rsaWidth(pub.n)
  const gs = readRsa(field(frame, 0x10), pub.n, width, 'g_s')
  const resolved = resolveProverRoots(PROTO, common, roots)
  const sel = selectChallenge(PROTO, pub.suite, common)
  const a = smallCoefficients(sel.key, common.c)
  const tags: bigint[] = []
  let m = 0n
  for (let t = 0; t < sel.positions.length; t++) {
    const { root, index } = sel.positions[t]!
    const r = resolved[root]!
    tags.push(readRsa(await r.tags.tag(index), pub.n, width, 'stored tag'))
    m += a[t]! * os2ip(await r.chunks.chunk(index))
  }
  const rho = H(lp(RHO_LABEL), i2osp(modPow(gs, m, pub.n), width))
  return encodeFrame(FrameKind.proof, protocolIds[PROTO], pub.suite, [
    [0x10, i2osp(multiExp(tags, a, pub.n), width)],
    [0x11, rho],
  ])
}

/**
 * Builds a challenge with a fresh secret sc (kept only in the validator) and a validator checking
 * H(LP(label) ‖ I2OSP((T^e / Π h(v ‖ id_t)^{a_t})^sc)) = ρ.
 */
export function atenieseChallenge(
  audit: AuditMaterial,
  opts: ChallengeOptions,
): { challenge: Uint8Array; validator: Validator } {
  const pub = decodePublic(audit.publicSetup, FrameKind.publicSetup)
  ensureFormat(audit.ownerSecret !== undefined, 'ateniese needs the owner secret (e, v) to verify')
  const owner = decodeOwner(audit.ownerSecret)
  const roots = descriptorRoots(
    audit.descriptors.map((d) => decodeDescriptor(d, PROTO, audit.keyId)),
  )
  const random = opts.random ?? defaultRandom
  const seed = opts.seed ?? random(32)
  const sc = 1n + randomBelow(pub.n - 1n, random)
  const width = rsaWidth(pub.n)
  const common = {
    keyId: audit.keyId,
    seed,
    c: opts.c,
    roots,
    n: roots.reduce((x, r) => x + r.count, 0),
  }
  const challenge = encodeChallenge(PROTO, pub.suite, common, [
    [0x10, i2osp(modPow(pub.g, sc, pub.n), width)],
  ])
  return {
    challenge,
    validator: createValidator(challenge, (proof) => {
      if (!sameRoots(decodeChallenge(challenge, PROTO, [pub.suite], [0x10]).common.roots, roots))
        return fail('mismatch', 'roots differ')
      const f = decodeFrame(proof, {
        kind: FrameKind.proof,
        protocol: protocolIds[PROTO],
        suites: [pub.suite],
        known: [0x10, 0x11],
      })
      const t = readRsa(field(f, 0x10), pub.n, width, 'T')
      const rho = readFixed(field(f, 0x11), 32, 'rho')
      const sel = selectChallenge(PROTO, pub.suite, common)
      const a = smallCoefficients(sel.key, common.c)
      const hashes = sel.positions.map(({ root, index }) =>
        hashToQr(pub.n, new Uint8Array([...owner.v, ...chunkId(roots[root]!.cid, index)])),
      )
      const denominator = multiExp(hashes, a, pub.n)
      let tau: bigint
      try {
        tau = (modPow(t, owner.e, pub.n) * modInv(denominator, pub.n)) % pub.n
      } catch {
        return fail('mismatch', 'non-invertible aggregate')
      }
      const expected = H(lp(RHO_LABEL), i2osp(modPow(tau, sc, pub.n), width))
      let diff = 0
      for (let i = 0; i < 32; i++) diff |= expected[i]! ^ rho[i]!
      return diff === 0 ? OK : fail('mismatch', 'rho does not match')
    }),
  }
}
