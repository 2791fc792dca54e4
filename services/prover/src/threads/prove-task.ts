/**
 * Answering a challenge, as a plain function over the prover's material: the prover setup, each
 * root's descriptor, manifest and (bjo) sidecar, and readers for its tags and blocks. No secret is
 * an input: this is the whole proving path.
 */
import {
  asFrame,
  bjoEncodedChunks,
  compatProve,
  compatSuperBlocks,
  createChunkReader,
  frameProtocol,
  prove,
  type BlockSource,
  type Manifest,
  type ProverRoot,
} from '@pinion/proofs'
import { keyChunkSize } from './tasks.js'

/** One root of a proving task, in the order the service loaded them. */
export interface ProveRoot {
  /** PNPF root descriptor; absent for bn254-compat. */
  readonly descriptor?: Uint8Array
  readonly manifest: Manifest
  readonly sidecar?: Uint8Array
  readonly chunkCount: number
}

/** Answer one challenge. */
export interface ProveTask {
  readonly kind: 'prove'
  readonly compat: boolean
  readonly proverSetup: Uint8Array
  readonly roots: readonly ProveRoot[]
  readonly challenge: Uint8Array
}

/** Where the proving path reads tags and blocks. */
export interface ProveReaders {
  readonly blocks: BlockSource
  /** Tag `index` of root `root` (its position in the task's roots). */
  tag(root: number, index: number): Promise<Uint8Array>
}

/**
 * Computes the proof frame (bn254-compat: the original's proof JSON).
 *
 * @throws ProofFormatError for a malformed challenge or one that does not match the roots.
 */
export async function runProve(task: ProveTask, readers: ProveReaders): Promise<Uint8Array> {
  if (task.compat) {
    const z = keyChunkSize(true, task.proverSetup)
    return compatProve(
      task.proverSetup,
      task.roots.map((root, k) => {
        const superBlocks = compatSuperBlocks(root.manifest, readers.blocks, z)
        return {
          cid: root.manifest.root,
          count: root.chunkCount,
          tag: (i: number) => readers.tag(k, i),
          read: (i: number) => superBlocks.read(i),
        }
      }),
      task.challenge,
    )
  }
  const setup = asFrame('proverSetup', task.proverSetup)
  const bjo = frameProtocol(setup) === 'bjo'
  const roots: ProverRoot[] = task.roots.map((root, k) => {
    const descriptor = asFrame('rootDescriptor', root.descriptor!)
    const file = createChunkReader(root.manifest, readers.blocks)
    return {
      descriptor,
      tags: { tag: (i) => readers.tag(k, i) },
      chunks: bjo ? bjoEncodedChunks(descriptor, file, root.sidecar ?? new Uint8Array(0)) : file,
    }
  })
  return prove(setup, roots, task.challenge)
}
