// Builders for proof tests: CID-shaped values without a multiformats dependency, deterministic
// byte streams, and a one-call "tag a DAG" harness shared by the unit and property tests.
import { sha256 } from '@noble/hashes/sha2.js'
import { chacha20 } from '@noble/ciphers/chacha.js'
import type { BlockInput, CidLike } from '../src/chunks.js'

/** A CIDv1-shaped value (raw codec, sha2-256) for `bytes`; its string is the hex of its bytes. */
export function fakeCid(bytes: Uint8Array): CidLike {
  const cid = new Uint8Array([0x01, 0x55, 0x12, 0x20, ...sha256(bytes)])
  const s = 'f' + Array.from(cid, (b) => b.toString(16).padStart(2, '0')).join('')
  return { bytes: cid, toString: () => s }
}

/** Deterministic pseudo-random bytes from a seed label (ChaCha20 keystream). */
export function seededBytes(label: string, length: number): Uint8Array {
  const key = sha256(new TextEncoder().encode(label))
  return chacha20(key, new Uint8Array(12), new Uint8Array(length))
}

/** A deterministic CSPRNG stand-in for known-answer vectors: each call draws the next bytes. */
export function seededRandom(label: string): (n: number) => Uint8Array {
  let counter = 0
  return (n) => seededBytes(`${label}/${counter++}`, n)
}

/** A DAG of blocks with the given sizes; the first block doubles as the root. */
export function makeDag(
  label: string,
  sizes: readonly number[],
): { root: CidLike; blocks: BlockInput[] } {
  const blocks = sizes.map((size, i) => {
    const bytes = seededBytes(`${label}/block/${i}`, size)
    // Distinct CIDs even for equal contents: mix the index into the hashed preimage.
    return { cid: fakeCid(new Uint8Array([...bytes, i & 0xff, i >> 8])), bytes }
  })
  return { root: blocks[0]!.cid, blocks }
}

import primes from './vectors/safe-primes.json' with { type: 'json' }

/**
 * A `safePrime` generator that hands out the frozen test primes in order (suite 2 uses the 1024-bit
 * pair, suite 1 the 1536-bit ones; `offset` picks another pair for a second key).
 */
export function frozenSafePrimes(offset = 0): (bits: number) => bigint {
  let next = offset * 2
  return (bits) => {
    const pool = bits === 1024 ? primes.bits1024 : bits === 1536 ? primes.bits1536 : []
    const hex = pool[next++ % pool.length]
    if (!hex) throw new RangeError(`no frozen safe prime of ${bits} bits`)
    return BigInt('0x' + hex)
  }
}

import { buildChallenge, createKey, prove, tagDag, tagSource } from '../src/api.js'
import { bjoEncodedChunks } from '../src/bjo-encode.js'
import { collectBlocks, createChunkReader, type ChunkSource, type Manifest } from '../src/chunks.js'
import type { ProtocolName } from '../src/frame.js'
import type { AuditMaterial, CreatedKey, ProverRoot, TaggedRoot } from '../src/types.js'

/** Every PNPF protocol. */
export const PROTOCOLS: readonly ProtocolName[] = ['sw-priv', 'sw-pub', 'ateniese', 'erway', 'bjo']

/** One tagged root of a fixture. */
export interface RootFixture {
  readonly tagged: TaggedRoot & { manifest: Manifest; blockIds: string[] }
  /** Chunks as the prover reads them (bjo: F̃). */
  readonly chunks: ChunkSource
  /** Number of challengeable chunks (bjo: t). */
  readonly count: number
}

/** A key of one protocol with tagged roots, and the calls tests make on it. */
export interface ProtocolFixture {
  readonly protocol: ProtocolName
  readonly keyId: Uint8Array
  readonly key: CreatedKey
  readonly roots: readonly RootFixture[]
  /** Audit material over the roots at `order` (indices into `roots`). */
  audit(order: readonly number[]): AuditMaterial
  /** Prover roots, optionally with one byte of one chunk flipped. */
  proverRoots(corrupt?: { root: number; chunk: number; byte?: number }): ProverRoot[]
  /** Builds a challenge over `order` and proves it with `proverRoots(corrupt)`. */
  round(
    order: readonly number[],
    opts?: {
      c?: number
      seed?: Uint8Array
      corrupt?: { root: number; chunk: number; byte?: number }
      bjoUsed?: number
    },
  ): Promise<{
    challenge: Uint8Array
    proof: Uint8Array
    verify: (
      ch?: Uint8Array,
      pr?: Uint8Array,
    ) => ReturnType<ReturnType<typeof buildChallenge>['validator']['verify']>
  }>
}

/** Small per-protocol parameters that keep tests fast (sw: s = 4; RSA: suite 2; bjo: V = 64, Q = 5). */
export async function protocolFixture(
  protocol: ProtocolName,
  dags: readonly (readonly number[])[],
  label = 'fx',
): Promise<ProtocolFixture> {
  const keyId = new TextEncoder().encode(`${label}-${protocol}`)
  const key = await createKey(protocol, {
    keyId,
    suite: protocol === 'ateniese' || protocol === 'erway' ? 2 : 1,
    sectors: 4,
    sentinels: 5,
    // V = 64 covers all of F̃ for roots of up to 31 chunks (t = m + 32), so c = n tests see every chunk.
    challengeSize: 64,
    random: seededRandom(`${label}/${protocol}/key`),
    safePrime: frozenSafePrimes(),
  })
  const roots: RootFixture[] = []
  for (const [i, sizes] of dags.entries()) {
    const dag = makeDag(`${label}/${protocol}/${i}`, sizes)
    const tagged = await tagDag({
      keyId,
      taSecret: key.taSecret,
      publicSetup: key.publicSetup,
      root: dag.root,
      blocks: dag.blocks,
      random: seededRandom(`${label}/${protocol}/tag/${i}`),
    })
    const { source } = await collectBlocks(dag.root, dag.blocks, tagged.manifest.chunkSize)
    const file = createChunkReader(tagged.manifest, source)
    const chunks =
      protocol === 'bjo' ? bjoEncodedChunks(tagged.descriptor, file, tagged.sidecar!) : file
    const count =
      protocol === 'bjo'
        ? tagged.manifest.chunkCount + tagged.sidecar!.length / 31
        : tagged.manifest.chunkCount
    roots.push({ tagged, chunks, count })
  }
  const audit = (order: readonly number[]): AuditMaterial => ({
    keyId,
    publicSetup: key.publicSetup,
    ...(key.ownerSecret ? { ownerSecret: key.ownerSecret } : {}),
    descriptors: order.map((i) => roots[i]!.tagged.descriptor),
  })
  const proverRoots = (corrupt?: { root: number; chunk: number; byte?: number }): ProverRoot[] =>
    roots.map((r, i) => ({
      descriptor: r.tagged.descriptor,
      tags: tagSource(key.proverSetup, r.tagged.descriptor, r.tagged.tagBatches),
      chunks:
        corrupt && corrupt.root === i
          ? {
              async chunk(index: number) {
                const bytes = (await r.chunks.chunk(index)).slice()
                if (index === corrupt.chunk) bytes[(corrupt.byte ?? 0) % bytes.length]! ^= 0x01
                return bytes
              },
            }
          : r.chunks,
    }))
  return {
    protocol,
    keyId,
    key,
    roots,
    audit,
    proverRoots,
    async round(order, opts = {}) {
      const material = audit(order)
      const n = order.reduce((a, i) => a + roots[i]!.tagged.manifest.chunkCount, 0)
      const built = buildChallenge(material, {
        c: opts.c ?? n,
        ...(opts.seed ? { seed: opts.seed } : {}),
        bjo: { used: opts.bjoUsed ?? 0 },
      })
      const proof = await prove(key.proverSetup, proverRoots(opts.corrupt), built.challenge)
      return {
        challenge: built.challenge,
        proof,
        verify: (ch = built.challenge, pr = proof) => built.validator.verify(ch, pr),
      }
    },
  }
}
